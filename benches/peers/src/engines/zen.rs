//! zen-engine (GoRules), evaluating the JDM decision graph of
//! [`crate::encode::jdm`]. The decision is built and its expressions
//! precompiled once (`Decision::compile`); each evaluation runs the graph
//! on the pattern's input, awaited with `pollster` (zen-engine is async
//! but does not need a runtime for this graph).

use zen_engine::Decision;
use zen_engine::Variable;
use zen_engine::model::DecisionContent;

use crate::outcome::{Outcome, Verdict};
use crate::policy::{Policy, fact_name};

/// The compiled decision and every pattern's input.
pub struct Zen {
    decision: Decision,
    inputs: Vec<Variable>,
}

impl Zen {
    /// Builds the decision from the graph JSON and every pattern's input.
    pub fn setup(graph: &serde_json::Value, policy: &Policy) -> Result<Zen, String> {
        let content: DecisionContent =
            serde_json::from_value(graph.clone()).map_err(|e| format!("zen-engine graph: {e}"))?;
        let engine = zen_engine::DecisionEngine::default();
        let mut decision = engine
            .create_decision(content.into())
            .map_err(|e| format!("zen-engine decision: {e:?}"))?;
        decision.compile();
        decision
            .validate()
            .map_err(|e| format!("zen-engine validate: {e}"))?;
        let inputs = policy
            .patterns
            .iter()
            .map(|pattern| {
                let object: serde_json::Map<String, serde_json::Value> = pattern
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (fact_name(i), serde_json::Value::Bool(*v)))
                    .collect();
                Variable::from(serde_json::Value::Object(object))
            })
            .collect();
        Ok(Zen { decision, inputs })
    }

    /// The graph's result object → [`Outcome`]: two lookups, `rules` (an
    /// array) and `verdict`, as regorus' result is read.
    fn outcome(&self, result: &Variable) -> Result<Outcome, String> {
        let rules = result
            .dot("rules")
            .and_then(|v| v.as_array())
            .ok_or("no `rules` array in the result")?;
        let mut mask = 0u64;
        for (i, v) in rules.borrow().iter().enumerate() {
            match v.as_bool() {
                Some(true) => mask |= 1 << i,
                Some(false) => {}
                None => return Err(format!("rule {i} is not a bool in the result")),
            }
        }
        let verdict = result
            .dot("verdict")
            .and_then(|v| v.as_str().and_then(Verdict::parse))
            .ok_or("no known `verdict` in the result")?;
        Ok(Outcome {
            rules: mask,
            unknown: 0,
            verdict,
        })
    }
}

impl super::Engine for Zen {
    fn label(&self) -> &'static str {
        "zen-engine (JDM graph)"
    }

    fn version(&self) -> String {
        crate::locked_version!("PEERS_VERSION_ZEN_ENGINE")
    }

    fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        let input = self.inputs[i].clone();
        let response = pollster::block_on(self.decision.evaluate(input))
            .map_err(|e| format!("zen-engine: {e}"))?;
        self.outcome(&response.result)
    }
}
