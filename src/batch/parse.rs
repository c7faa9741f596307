//! One input record — `{"id": …, "facts": {…}}` — read straight into a
//! [`Pattern`]: fact names are looked up as borrowed strings, values are
//! checked against the vocabulary and encoded as they are read, with no
//! intermediate map.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use crate::eval::compiled::{Kind, Pattern, Slots, Val};
use crate::model::{Checked, FactType, Fnv, ScalarRef, Vocabulary, suggest};

type FastMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// U+FEFF: Windows editors start a UTF-8 file with it.
pub(crate) const BYTE_ORDER_MARK: &str = "\u{feff}";

/// What the reader knows of one fact.
#[derive(Debug, Clone)]
struct FactInfo {
    name: String,
    slot: u32,
    ty: FactType,
    /// For enums: the string id of each declared value, by its index.
    allowed: Vec<Option<i64>>,
}

/// Reads records for one vocabulary and slot table.
#[derive(Debug, Clone)]
pub struct Reader {
    /// By slot.
    facts: Vec<FactInfo>,
    by_name: FastMap<u32>,
    names: Vec<String>,
}

/// The record's `id`, echoed in the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Id {
    /// None given.
    None,
    /// A string id.
    Str(String),
    /// A numeric id.
    Int(i64),
}

/// Per-record state while reading: which slots this record set.
#[derive(Debug, Default)]
pub struct Seen {
    set: Vec<bool>,
    /// The slot of the k-th fact of the previous record: records written
    /// by one program list their facts in the same order, so the k-th fact
    /// of this one is usually the same (a comparison instead of a hash).
    previous: Vec<u32>,
    /// How many facts of this record have been read.
    k: usize,
}

impl Reader {
    /// A reader for `vocab`'s facts, encoding with `slots`.
    pub fn new(vocab: &Vocabulary, slots: &Slots) -> Reader {
        let mut facts = Vec::new();
        let mut by_name = FastMap::default();
        for def in vocab.facts.values() {
            let Some(slot) = slots.slot(&def.id) else {
                continue;
            };
            let allowed = match &def.ty {
                FactType::Enum { values } => {
                    values.iter().map(|(v, _)| slots.string_id(v)).collect()
                }
                _ => vec![],
            };
            by_name.insert(def.id.clone(), slot);
            facts.push(FactInfo {
                name: def.id.clone(),
                slot,
                ty: def.ty.clone(),
                allowed,
            });
        }
        // Slots are dense and in vocabulary order, so `facts[slot]` is the
        // fact in that slot.
        facts.sort_by_key(|f| f.slot);
        Reader {
            facts,
            by_name,
            names: vocab.facts.keys().cloned().collect(),
        }
    }

    /// Reads one JSON record into `pattern` (cleared first); the error is a
    /// message with the column where JSON syntax broke, if it did.
    pub fn read_json(
        &self,
        line: &[u8],
        slots: &Slots,
        pattern: &mut Pattern,
        seen: &mut Seen,
        columns: bool,
    ) -> Result<Id, String> {
        pattern.clear();
        seen.set.clear();
        seen.set.resize(slots.len(), false);
        seen.k = 0;
        // One UTF-8 check of the whole line (fast on ASCII) spares the
        // parser a check per string.
        let text = std::str::from_utf8(line).map_err(|e| {
            format!(
                "record is not UTF-8 (column {})",
                e.valid_up_to().saturating_add(1)
            )
        })?;
        // A byte-order mark is invisible: named, it is not taken for a
        // record that is not an object. (Before the first record it was
        // skipped: see `Engine::record`.)
        if text.starts_with(BYTE_ORDER_MARK) {
            return Err(
                "the record starts with a byte-order mark (U+FEFF), which may only \
                 start the input; remove it"
                    .to_string(),
            );
        }
        // The commonest mistake, a line that is not an object at all, gets
        // words of its own rather than the parser's ("expected value").
        if text.trim_start().as_bytes().first() != Some(&b'{') {
            let at = text
                .len()
                .saturating_sub(text.trim_start().len())
                .saturating_add(1);
            let column = if columns {
                format!(" (column {at})")
            } else {
                String::new()
            };
            return Err(format!(
                "a record must be an object, {{\"facts\": {{...}}}}; this one is not{column}"
            ));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let id = de::Deserializer::deserialize_map(
            &mut de,
            RecordVisitor {
                reader: self,
                slots,
                pattern,
                seen,
            },
        )
        .map_err(|e| json_error(&e, columns))?;
        de.end().map_err(|e| json_error(&e, columns))?;
        Ok(id)
    }

    fn set(
        &self,
        name: &str,
        value: Raw<'_>,
        slots: &Slots,
        pattern: &mut Pattern,
        seen: &mut Seen,
    ) -> Result<(), String> {
        let guess = seen
            .previous
            .get(seen.k)
            .and_then(|&slot| self.facts.get(slot as usize));
        let info = match guess {
            Some(guess) if guess.name == name => Some(guess),
            _ => self
                .by_name
                .get(name)
                .and_then(|&slot| self.facts.get(slot as usize)),
        };
        let Some(info) = info else {
            let hint = suggest(name, self.names.iter().map(String::as_str))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            return Err(format!("unknown fact `{name}`{hint}"));
        };
        match seen.previous.get_mut(seen.k) {
            Some(p) => *p = info.slot,
            None => seen.previous.push(info.slot),
        }
        seen.k = seen.k.saturating_add(1);
        match seen.set.get_mut(info.slot as usize) {
            Some(true) => return Err(format!("fact `{name}` is given twice")),
            Some(s) => *s = true,
            None => {}
        }
        let val = match value.as_scalar() {
            ScalarRef::Null => Val::UNKNOWN,
            scalar => match info.ty.check(name, scalar).map_err(String::from)? {
                Checked::Bool(b) => Val::bool(b),
                Checked::Int(i) => Val::int(i),
                Checked::Enum(i) => match info.allowed.get(i).copied().flatten() {
                    Some(bits) => Val {
                        kind: Kind::Str,
                        bits,
                    },
                    None => return Err(format!("fact `{name}` cannot take this value")),
                },
                Checked::Date(d) => Val::date(d),
                Checked::Text(s) => pattern.string(slots, s),
            },
        };
        pattern.put(info.slot, val);
        Ok(())
    }
}

fn json_error(e: &serde_json::Error, columns: bool) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; a record is one line, so
    // the column is what helps (column 0: before the first character).
    let message = text
        .rfind(" at line ")
        .and_then(|at| text.get(..at))
        .unwrap_or(&text);
    if columns {
        format!("{message} (column {})", e.column().max(1))
    } else {
        message.to_string()
    }
}

struct RecordVisitor<'r> {
    reader: &'r Reader,
    slots: &'r Slots,
    pattern: &'r mut Pattern,
    seen: &'r mut Seen,
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = Id;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with `facts` (and optionally `id`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Id, A::Error> {
        let mut id = None;
        let mut facts = false;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id if id.is_some() => return Err(de::Error::custom("`id` is given twice")),
                Key::Id => id = Some(map.next_value::<IdValue>()?.0),
                Key::Facts if facts => return Err(de::Error::custom("`facts` is given twice")),
                Key::Facts => {
                    facts = true;
                    map.next_value_seed(FactsSeed {
                        reader: self.reader,
                        slots: self.slots,
                        pattern: &mut *self.pattern,
                        seen: &mut *self.seen,
                    })?;
                }
                Key::Other(k) => {
                    return Err(de::Error::custom(format!(
                        "unknown field `{k}`; a record has `id` and `facts`"
                    )));
                }
            }
        }
        if !facts {
            return Err(de::Error::custom("missing field `facts`"));
        }
        Ok(id.unwrap_or(Id::None))
    }
}

enum Key {
    Id,
    Facts,
    Other(String),
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                Ok(match s {
                    "id" => Key::Id,
                    "facts" => Key::Facts,
                    other => Key::Other(other.to_string()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// The `id` of a record that could not be read, where it can still be
/// found: the record is a JSON object with a string or integer `id`, given
/// once (a record naming two is not echoed either way). Read again only
/// for a bad record, leniently: what made it bad is ignored here.
pub fn id_of(json: &[u8]) -> Id {
    #[derive(serde::Deserialize)]
    struct Lenient {
        id: Option<IdValue>,
    }
    serde_json::from_slice::<Lenient>(json)
        .ok()
        .and_then(|l| l.id)
        .map_or(Id::None, |v| v.0)
}

struct IdValue(Id);

impl<'de> de::Deserialize<'de> for IdValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<IdValue, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an integer id")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<IdValue, E> {
                Ok(IdValue(Id::Str(s.to_string())))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<IdValue, E> {
                Ok(IdValue(Id::Int(i)))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<IdValue, E> {
                i64::try_from(u)
                    .map(|i| IdValue(Id::Int(i)))
                    .map_err(|_| E::custom("id out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

struct FactsSeed<'r> {
    reader: &'r Reader,
    slots: &'r Slots,
    pattern: &'r mut Pattern,
    seen: &'r mut Seen,
}

impl<'de> DeserializeSeed<'de> for FactsSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FactsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of fact values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key_seed(NameSeed)? {
            let value: ScalarValue = map.next_value()?;
            let name = name.as_str();
            self.reader
                .set(name, value.0, self.slots, self.pattern, self.seen)
                .map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// A fact name: borrowed from the input when it has no escapes.
enum Name<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Name<'_> {
    fn as_str(&self) -> &str {
        match self {
            Name::Borrowed(s) => s,
            Name::Owned(s) => s,
        }
    }
}

struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Name<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Name<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a fact name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Name<'de>, E> {
                Ok(Name::Borrowed(s))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Name<'de>, E> {
                Ok(Name::Owned(s.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A fact value as written: null, a boolean, an integer or a string
/// (borrowed from the input when it has no escapes).
enum Raw<'de> {
    Null,
    Bool(bool),
    Int(i64),
    Str(Name<'de>),
}

impl Raw<'_> {
    fn as_scalar(&self) -> ScalarRef<'_> {
        match self {
            Raw::Null => ScalarRef::Null,
            Raw::Bool(b) => ScalarRef::Bool(*b),
            Raw::Int(i) => ScalarRef::Int(*i),
            Raw::Str(s) => ScalarRef::Str(s.as_str()),
        }
    }
}

struct ScalarValue<'de>(Raw<'de>);

impl<'de> de::Deserialize<'de> for ScalarValue<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<ScalarValue<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ScalarValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("null, a boolean, an integer or a string")
            }
            fn visit_unit<E: de::Error>(self) -> Result<ScalarValue<'de>, E> {
                Ok(ScalarValue(Raw::Null))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<ScalarValue<'de>, E> {
                Ok(ScalarValue(Raw::Bool(b)))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<ScalarValue<'de>, E> {
                Ok(ScalarValue(Raw::Int(i)))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<ScalarValue<'de>, E> {
                i64::try_from(u)
                    .map(|i| ScalarValue(Raw::Int(i)))
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<ScalarValue<'de>, E> {
                Err(E::custom("a fact value cannot be a decimal number"))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<ScalarValue<'de>, E> {
                Ok(ScalarValue(Raw::Str(Name::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ScalarValue<'de>, E> {
                Ok(ScalarValue(Raw::Str(Name::Owned(s.to_string()))))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<ScalarValue<'de>, A::Error> {
                Err(de::Error::custom("a fact value cannot be a list"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<ScalarValue<'de>, A::Error> {
                Err(de::Error::custom("a fact value cannot be an object"))
            }
        }
        d.deserialize_any(V)
    }
}
