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
// the rule values, all with functions compiled by LogicEngine.build.

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

function compact ([values, verdict]) {
  return values.map((v) => (v === true ? '1' : v === false ? '0' : '?')).join('') + ':' + verdict
}

// The checked pass, which also warms up the JIT.
const outcomes = patterns.map((data) => compact(evaluate(data)))

// Timed rounds over every pattern; a checksum keeps the work observable.
let sink = 0
const nsPerEval = []
for (let round = 0; round < rounds; round++) {
  const start = process.hrtime.bigint()
  for (const data of patterns) {
    const [values, verdict] = evaluate(data)
    sink += verdict.length + (values[0] ? 1 : 0)
  }
  const elapsed = Number(process.hrtime.bigint() - start)
  nsPerEval.push(elapsed / patterns.length)
}

// The package's exports hide package.json, so read it by path.
const packageJson = new URL('./node_modules/json-logic-engine/package.json', import.meta.url)
const { version } = JSON.parse(readFileSync(packageJson, 'utf8'))
process.stdout.write(JSON.stringify({
  engine: 'json-logic-engine',
  version,
  node: process.version,
  sink,
  ns_per_eval: nsPerEval,
  outcomes
}))
