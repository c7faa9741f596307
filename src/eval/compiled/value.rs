//! Dense fact values: every fact of the vocabulary gets a slot, every value
//! a small fixed-size [`Val`], every string (enum value, text literal) an
//! integer id. A [`Pattern`] is one case's facts in that form; evaluating it
//! needs no string lookup.

use std::collections::HashMap;
use std::sync::Arc;

use super::arising::ArisingCode;

use crate::model::{FactType, FactValue, Facts, Ruleset, Vocabulary};
use crate::syntax::{Date, Expr, Literal};

const RANK_UNKNOWN: u8 = 1;

/// The kind of a [`Val`]; values of different kinds never compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The fact is not known.
    Unknown,
    /// A boolean (`bits` is 0 or 1).
    Bool,
    /// An integer.
    Int,
    /// A string: an enum value or a text (`bits` is its id).
    Str,
    /// A date (`bits` is `yyyymmdd`, so order is preserved).
    Date,
}

/// One encoded value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Val {
    /// What it is.
    pub kind: Kind,
    /// Its payload (see [`Kind`]).
    pub bits: i64,
}

impl Val {
    /// The unknown value.
    pub const UNKNOWN: Val = Val {
        kind: Kind::Unknown,
        bits: 0,
    };

    /// A boolean.
    pub fn bool(b: bool) -> Val {
        Val {
            kind: Kind::Bool,
            bits: i64::from(b),
        }
    }

    /// An integer.
    pub fn int(i: i64) -> Val {
        Val {
            kind: Kind::Int,
            bits: i,
        }
    }

    /// A date.
    pub fn date(d: Date) -> Val {
        let bits = i64::from(d.year)
            .saturating_mul(10_000)
            .saturating_add(i64::from(d.month).saturating_mul(100))
            .saturating_add(i64::from(d.day));
        Val {
            kind: Kind::Date,
            bits,
        }
    }

    /// Whether the value is known.
    pub fn is_known(self) -> bool {
        self.kind != Kind::Unknown
    }
}

/// The slot of every fact and the id of every string a set of rulesets can
/// compare with. Patterns encoded with one `Slots` can be evaluated by every
/// program compiled against it.
#[derive(Debug, Clone)]
pub struct Slots {
    names: Vec<String>,
    by_name: HashMap<String, u32>,
    types: Vec<FactType>,
    strings: HashMap<String, i64>,
    /// The vocabulary's `arises` conditions, compiled against this table.
    arising: Arc<ArisingCode>,
}

impl Slots {
    /// Slots for `vocab`, with ids for the strings `rulesets` and the
    /// vocabulary's enums mention (and the stand-in values the exact
    /// refinement of open outcomes tries for unknown facts).
    pub fn new(vocab: &Vocabulary, rulesets: &[&Ruleset]) -> Slots {
        let names: Vec<String> = vocab.facts.keys().cloned().collect();
        let by_name = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let types = vocab.facts.values().map(|d| d.ty.clone()).collect();
        let mut slots = Slots {
            names,
            by_name,
            types,
            strings: HashMap::new(),
            arising: Arc::default(),
        };
        for def in vocab.facts.values() {
            if let FactType::Enum { values } = &def.ty {
                values.iter().for_each(|(v, _)| slots.intern(v));
            }
            // The strings an `arises` condition compares with, and a text
            // fact's defined value.
            if let Some(a) = &def.arises {
                if let FactValue::Str(s) = &a.otherwise {
                    slots.intern(s);
                }
                for s in strings_of(&a.condition) {
                    slots.intern(&s);
                }
            }
        }
        for ruleset in rulesets {
            slots.intern_ruleset(ruleset, vocab);
        }
        slots.arising = Arc::new(ArisingCode::new(vocab, &slots));
        slots
    }

    /// The vocabulary's `arises` conditions, compiled against this table.
    pub(crate) fn arising(&self) -> &Arc<ArisingCode> {
        &self.arising
    }

    fn intern(&mut self, s: &str) {
        let next = i64::try_from(self.strings.len()).unwrap_or(i64::MAX);
        self.strings.entry(s.to_string()).or_insert(next);
    }

    fn intern_ruleset(&mut self, ruleset: &Ruleset, vocab: &Vocabulary) {
        let mut found: Vec<String> = ruleset
            .rules
            .iter()
            .flat_map(|rule| strings_of(&rule.when))
            .collect();
        // The exact refinement tries, for an unknown text fact, a value
        // equal to no literal ("other-0"); it needs an id like any other
        // string. Only facts a rule's or an `arises`
        // condition reads are ever tried.
        let read = super::super::candidates::enumerable_facts(ruleset, vocab);
        for (id, def) in &vocab.facts {
            if def.ty == FactType::Text && read.contains(id.as_str()) {
                for v in super::super::candidate_values(ruleset, vocab, id) {
                    if let FactValue::Str(s) = v {
                        found.push(s);
                    }
                }
            }
        }
        found.iter().for_each(|s| self.intern(s));
    }

    /// How many facts there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the vocabulary has no facts.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The slot of a fact.
    pub fn slot(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// The fact in a slot.
    pub fn name(&self, slot: u32) -> Option<&str> {
        self.names.get(slot as usize).map(String::as_str)
    }

    /// The type of the fact in a slot.
    pub fn fact_type(&self, slot: u32) -> Option<&FactType> {
        self.types.get(slot as usize)
    }

    /// The id of a string every program knows, if it is one.
    pub fn string_id(&self, s: &str) -> Option<i64> {
        self.strings.get(s).copied()
    }

    /// A literal as a value (strings this table does not know get the
    /// pattern's own ids, see [`Pattern::set`]).
    pub fn literal(&self, lit: &Literal) -> Val {
        match lit {
            Literal::Bool(b) => Val::bool(*b),
            Literal::Int(i) => Val::int(*i),
            Literal::Date(d) => Val::date(*d),
            Literal::Str(s) => Val {
                kind: Kind::Str,
                bits: self.string_id(s).unwrap_or(i64::MIN),
            },
        }
    }

    /// The string with table id `id`, if any (`None` for a pattern's own).
    pub fn string(&self, id: i64) -> Option<&str> {
        // Built once per call on the explanation path only; the table is small.
        self.strings
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.as_str())
    }

    /// A pattern back as facts (what-if output and tests; the explanation
    /// reads single values with [`Slots::value`]).
    pub fn decode(&self, pattern: &Pattern) -> Facts {
        let mut facts = Facts::default();
        for (slot, name) in self.names.iter().enumerate() {
            let value = u32::try_from(slot)
                .ok()
                .and_then(|s| self.value(pattern, s));
            if let Some(value) = value {
                facts.set(name, value);
            }
        }
        facts
    }

    /// The value in `slot` of `pattern` (`None`: unknown).
    pub fn value(&self, pattern: &Pattern, slot: u32) -> Option<FactValue> {
        let v = pattern.vals.get(slot as usize)?;
        Some(match v.kind {
            Kind::Unknown => return None,
            Kind::Bool => FactValue::Bool(v.bits == 1),
            Kind::Int => FactValue::Int(v.bits),
            Kind::Date => {
                let y = u16::try_from(v.bits / 10_000).ok()?;
                let m = u8::try_from((v.bits / 100) % 100).ok()?;
                let day = u8::try_from(v.bits % 100).ok()?;
                FactValue::Date(Date::new(y, m, day)?)
            }
            Kind::Str => {
                let base = i64::try_from(self.strings.len()).unwrap_or(i64::MAX);
                let own = usize::try_from(v.bits.saturating_sub(base))
                    .ok()
                    .filter(|_| v.bits >= base)
                    .and_then(|k| pattern.extra.get(k))
                    .map(String::as_str);
                FactValue::Str(own.or_else(|| self.string(v.bits))?.to_string())
            }
        })
    }

    /// A pattern with every fact unknown.
    pub fn pattern(&self) -> Pattern {
        Pattern {
            vals: vec![Val::UNKNOWN; self.len()],
            ranks: vec![RANK_UNKNOWN; self.len()],
            known: vec![0; self.len().div_ceil(64)],
            truth: vec![0; self.len().div_ceil(64)],
            extra: Vec::new(),
        }
    }

    /// Encodes a case's facts (facts the vocabulary does not have are
    /// ignored: loading has already rejected them).
    pub fn encode(&self, facts: &Facts) -> Pattern {
        let mut p = self.pattern();
        for (name, value) in &facts.0 {
            if let Some(slot) = self.slot(name) {
                p.set(self, slot, value);
            }
        }
        p
    }
}

/// The string literals of a condition.
fn strings_of(expr: &Expr) -> Vec<String> {
    let mut found = Vec::new();
    expr.visit(&mut |e| match e {
        Expr::Literal {
            value: Literal::Str(s),
            ..
        } => found.push(s.clone()),
        Expr::In { list, .. } => found.extend(list.iter().filter_map(|l| match &l.value {
            Literal::Str(s) => Some(s.clone()),
            _ => None,
        })),
        _ => {}
    });
    found
}

/// One fact pattern in slot form. Reusable: [`Pattern::clear`] and
/// `clone_from` keep its buffers.
#[derive(Debug, PartialEq, Eq)]
pub struct Pattern {
    vals: Vec<Val>,
    /// Each slot's value as a condition reads a bare fact: `false` 0,
    /// unknown 1, `true` 2 (a known non-boolean reads as false).
    ranks: Vec<u8>,
    /// Bit per slot: the value is known.
    known: Vec<u64>,
    /// Bit per slot: the value is `true`.
    truth: Vec<u64>,
    /// Strings no program mentions, numbered after the table's own, so two
    /// texts compare equal exactly when they are the same text.
    extra: Vec<String>,
}

impl Clone for Pattern {
    fn clone(&self) -> Pattern {
        Pattern {
            vals: self.vals.clone(),
            ranks: self.ranks.clone(),
            known: self.known.clone(),
            truth: self.truth.clone(),
            extra: self.extra.clone(),
        }
    }

    // Copies into the existing buffers: searches copy a pattern per variation.
    fn clone_from(&mut self, source: &Pattern) {
        self.vals.clone_from(&source.vals);
        self.ranks.clone_from(&source.ranks);
        self.known.clone_from(&source.known);
        self.truth.clone_from(&source.truth);
        self.extra.clone_from(&source.extra);
    }
}

impl Pattern {
    /// The value in a slot.
    #[inline]
    pub fn get(&self, slot: u32) -> Val {
        self.vals
            .get(slot as usize)
            .copied()
            .unwrap_or(Val::UNKNOWN)
    }

    /// How a bare fact in a condition reads this slot (see `ranks`).
    #[inline]
    pub fn rank(&self, slot: u32) -> u8 {
        self.ranks
            .get(slot as usize)
            .copied()
            .unwrap_or(RANK_UNKNOWN)
    }

    /// Word `w` of the known bits and of the `true` bits.
    #[inline]
    pub fn words(&self, w: u32) -> (u64, u64) {
        (
            self.known.get(w as usize).copied().unwrap_or(0),
            self.truth.get(w as usize).copied().unwrap_or(0),
        )
    }

    /// Every slot's value.
    pub fn values(&self) -> &[Val] {
        &self.vals
    }

    /// Puts an encoded value in a slot.
    #[inline]
    pub fn put(&mut self, slot: u32, val: Val) {
        if let Some(v) = self.vals.get_mut(slot as usize) {
            *v = val;
        }
        let rank = match val.kind {
            Kind::Unknown => RANK_UNKNOWN,
            Kind::Bool if val.bits == 1 => 2,
            _ => 0,
        };
        if let Some(r) = self.ranks.get_mut(slot as usize) {
            *r = rank;
        }
        let (word, bit) = ((slot / 64) as usize, 1u64 << (slot % 64));
        if let Some(k) = self.known.get_mut(word) {
            *k = if rank == RANK_UNKNOWN {
                *k & !bit
            } else {
                *k | bit
            };
        }
        if let Some(t) = self.truth.get_mut(word) {
            *t = if rank == 2 { *t | bit } else { *t & !bit };
        }
    }

    /// Sets a slot from a fact value.
    pub fn set(&mut self, slots: &Slots, slot: u32, value: &FactValue) {
        let val = match value {
            FactValue::Bool(b) => Val::bool(*b),
            FactValue::Int(i) => Val::int(*i),
            FactValue::Date(d) => Val::date(*d),
            FactValue::Str(s) => self.string(slots, s),
        };
        self.put(slot, val);
    }

    /// The value of a string: its table id, else an id of this pattern's own.
    pub fn string(&mut self, slots: &Slots, s: &str) -> Val {
        let bits = slots.string_id(s).unwrap_or_else(|| {
            let base = i64::try_from(slots.strings.len()).unwrap_or(i64::MAX);
            let k = match self.extra.iter().position(|e| e == s) {
                Some(k) => k,
                None => {
                    self.extra.push(s.to_string());
                    self.extra.len().saturating_sub(1)
                }
            };
            base.saturating_add(i64::try_from(k).unwrap_or(i64::MAX))
        });
        Val {
            kind: Kind::Str,
            bits,
        }
    }

    /// Makes every fact unknown again.
    pub fn clear(&mut self) {
        self.vals.fill(Val::UNKNOWN);
        self.ranks.fill(RANK_UNKNOWN);
        self.known.fill(0);
        self.truth.fill(0);
        self.extra.clear();
    }
}
