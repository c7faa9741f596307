//! regorus, Microsoft's Rego engine, two ways over the same policy text
//! ([`crate::encode::rego`]): its tree-walking interpreter
//! (`Engine::eval_rule`) and its bytecode VM (RVM: the policy compiled
//! once to a `Program`, run by `RegoVM::execute`). Each pattern's input
//! `Value` is built before timing; setting it is part of an evaluation.

use std::sync::Arc;

use regorus::Value;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::Program;
use regorus::rvm::vm::RegoVM;

use crate::encode::rego::ENTRY_POINT;
use crate::outcome::{Outcome, Verdict};
use crate::policy::{Policy, fact_name};

/// The policy file name given to regorus (for its messages).
const FILE: &str = "synthetic.rego";

/// The interpreter: `set_input` + `eval_rule` per evaluation.
pub struct Interpreter {
    engine: regorus::Engine,
    inputs: Vec<Value>,
    keys: Keys,
}

/// The bytecode VM: `set_input` + `execute` per evaluation.
pub struct Rvm {
    vm: RegoVM,
    inputs: Vec<Value>,
    keys: Keys,
}

impl Interpreter {
    /// Loads the policy text and builds every pattern's input.
    pub fn setup(rego: &str, policy: &Policy) -> Result<Interpreter, String> {
        Ok(Interpreter {
            engine: engine(rego)?,
            inputs: inputs(policy)?,
            keys: Keys::new(),
        })
    }
}

impl Rvm {
    /// Compiles the policy text to an RVM program and builds every input.
    pub fn setup(rego: &str, policy: &Policy) -> Result<Rvm, String> {
        let mut engine = engine(rego)?;
        let compiled = engine
            .compile_with_entrypoint(&ENTRY_POINT.into())
            .map_err(|e| format!("regorus compile: {e}"))?;
        let program: Arc<Program> = Compiler::compile_from_policy(&compiled, &[ENTRY_POINT])
            .map_err(|e| format!("regorus RVM compile: {e}"))?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        vm.set_data(Value::new_object())
            .map_err(|e| format!("regorus RVM data: {e}"))?;
        Ok(Rvm {
            vm,
            inputs: inputs(policy)?,
            keys: Keys::new(),
        })
    }
}

impl super::Engine for Interpreter {
    fn label(&self) -> &'static str {
        "regorus (interpreter)"
    }

    fn version(&self) -> String {
        crate::locked_version!("PEERS_VERSION_REGORUS")
    }

    fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        self.engine.set_input(self.inputs[i].clone());
        let value = self
            .engine
            .eval_rule(ENTRY_POINT.to_string())
            .map_err(|e| e.to_string())?;
        self.keys.outcome(&value)
    }
}

impl super::Engine for Rvm {
    fn label(&self) -> &'static str {
        "regorus (RVM bytecode)"
    }

    fn version(&self) -> String {
        crate::locked_version!("PEERS_VERSION_REGORUS")
    }

    fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        self.vm.set_input(self.inputs[i].clone());
        let value = self.vm.execute().map_err(|e| e.to_string())?;
        self.keys.outcome(&value)
    }
}

fn engine(rego: &str) -> Result<regorus::Engine, String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(FILE.to_string(), rego.to_string())
        .map_err(|e| format!("regorus: {e}"))?;
    Ok(engine)
}

fn inputs(policy: &Policy) -> Result<Vec<Value>, String> {
    policy
        .patterns
        .iter()
        .map(|pattern| {
            let object: serde_json::Map<String, serde_json::Value> = pattern
                .iter()
                .enumerate()
                .map(|(i, v)| (fact_name(i), serde_json::Value::Bool(*v)))
                .collect();
            Value::from_json_str(&serde_json::Value::Object(object).to_string())
                .map_err(|e| format!("regorus input: {e}"))
        })
        .collect()
}

/// The keys of the `outcome` object, built once.
struct Keys {
    rules: Value,
    verdict: Value,
}

impl Keys {
    fn new() -> Keys {
        Keys {
            rules: Value::from("rules"),
            verdict: Value::from("verdict"),
        }
    }

    /// `{"rules": [bool; 50], "verdict": "…"}` → [`Outcome`].
    fn outcome(&self, value: &Value) -> Result<Outcome, String> {
        let rules = value[&self.rules]
            .as_array()
            .map_err(|_| format!("no `rules` array in {value}"))?;
        let mut mask = 0u64;
        for (i, v) in rules.iter().enumerate() {
            if *v
                .as_bool()
                .map_err(|_| format!("rule {i} is not a bool: {v}"))?
            {
                mask |= 1 << i;
            }
        }
        let verdict = value[&self.verdict]
            .as_string()
            .ok()
            .and_then(|s| Verdict::parse(s))
            .ok_or_else(|| format!("no known `verdict` in {value}"))?;
        Ok(Outcome {
            rules: mask,
            unknown: 0,
            verdict,
        })
    }
}
