// json-logic-engine side of the authorship peer benchmark.
//
// Usage: node bench.mjs INPUT.json ROUNDS
// INPUT.json (written by the Rust runner): {facts, rules, verdict, patterns}
//   facts    - the fact names, f00..f39
//   rules    - one JSONLogic logic per rule, over {"var": "fNN"}
//   verdict  - a JSONLogic logic over the array of rule values ({"var": "7"})
//   patterns - one array of 0/1 per pattern, in fact order
// Prints one JSON object on stdout:
//   {engine, version, node, ns_per_eval: [per timed round], outcomes: ["0110...:verdict", ...]}
// One evaluation = every rule logic on the pattern, then the verdict logic on
// the rule values, all with functions compiled by LogicEngine.build, then
// the result read back into bits and a verdict number (as the Rust side
// reads every engine's result into its Outcome). Every timed round is
// checked against the checked pass.

import { readFileSync } from 'node:fs'
import { LogicEngine } from 'json-logic-engine'

const [inputPath, roundsArg] = process.argv.slice(2)
const rounds = Number(roundsArg ?? 7)
const input = JSON.parse(readFileSync(inputPath, 'utf8'))

const engine = new LogicEngine()
const ruleFns = input.rules.map((logic) => engine.build(logic))
const verdictFn = engine.build(input.verdict)
const patterns = input.patterns.map((bits) =>
  Object.fromEntries(input.facts.map((name, i) => [name, bits[i] === 1]))
)

// One evaluation: the rule values and the verdict.
function evaluate (data) {
  const values = new Array(ruleFns.length)
  for (let r = 0; r < ruleFns.length; r++) values[r] = ruleFns[r](data)
  return [values, verdictFn(values)]
}

// The read-back every engine does inside its timer: the rule values into
// bits (here two 32-bit words, as JavaScript has no 64-bit integer) and
// the verdict's name into its number; stored at pattern `p` of `out`.
const VERDICTS = ['protected', 'partially_protected', 'not_protected', 'not_addressed', 'undetermined']
function readBack ([values, verdict], out, p) {
  let lo = 0
  let hi = 0
  for (let r = 0; r < values.length; r++) {
    if (values[r] === true) {
      if (r < 32) lo |= 1 << r
      else hi |= 1 << (r - 32)
    } else if (values[r] !== false) {
      throw new Error(`pattern ${p}: rule ${r} is not a boolean: ${values[r]}`)
    }
  }
  out.lo[p] = lo
  out.hi[p] = hi
  out.verdict[p] = VERDICTS.indexOf(verdict)
}

function outcomesArray () {
  const n = patterns.length
  return { lo: new Int32Array(n), hi: new Int32Array(n), verdict: new Int8Array(n) }
}

function compact (out, p) {
  let bits = ''
  for (let r = 0; r < ruleFns.length; r++) {
    const word = r < 32 ? out.lo[p] : out.hi[p]
    bits += (word >>> (r % 32)) & 1 ? '1' : '0'
  }
  return bits + ':' + (VERDICTS[out.verdict[p]] ?? '?')
}

// The checked pass, which also warms up the JIT.
const checked = outcomesArray()
patterns.forEach((data, p) => readBack(evaluate(data), checked, p))
const outcomes = patterns.map((_, p) => compact(checked, p))

// Timed rounds over every pattern, each read back like the checked pass
// and compared with it once its timer has stopped.
const nsPerEval = []
const round = outcomesArray()
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint()
  for (let p = 0; p < patterns.length; p++) readBack(evaluate(patterns[p]), round, p)
  const elapsed = Number(process.hrtime.bigint() - start)
  nsPerEval.push(elapsed / patterns.length)
  for (let p = 0; p < patterns.length; p++) {
    if (round.lo[p] !== checked.lo[p] || round.hi[p] !== checked.hi[p] || round.verdict[p] !== checked.verdict[p]) {
      process.stderr.write(`timed round ${r}, pattern ${p}: ${compact(round, p)}, the checked pass ${outcomes[p]}\n`)
      process.exit(1)
    }
  }
}

// The package's exports hide package.json, so read it by path.
const packageJson = new URL('./node_modules/json-logic-engine/package.json', import.meta.url)
const { version } = JSON.parse(readFileSync(packageJson, 'utf8'))
process.stdout.write(JSON.stringify({
  engine: 'json-logic-engine',
  version,
  node: process.version,
  ns_per_eval: nsPerEval,
  outcomes
}))
