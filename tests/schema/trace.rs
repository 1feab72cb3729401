//! What the config's `Deserialize` implementations ask for, recorded by a deserializer that
//! answers nothing: each struct's fields (serde's own list, renames included), each enum's
//! variants, and the primitive each field's deserializer requests (so a `deserialize_with`
//! that reads a string is a string, whatever type it produces). Values are never produced: a
//! trace stops where it has recorded one thing, and the fields of a struct are traced one run
//! each, the run's path naming the field to enter at each struct on the way.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// What a value at a path is.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Any,
    Bool,
    /// An integer type; `signed` when it takes negative values.
    Integer {
        signed: bool,
    },
    Number,
    String,
    Enum(Vec<String>),
    /// `Option`: null, or the value at the path + `?`.
    Option,
    /// A sequence: items at the path + `[]`.
    Seq,
    /// A map with string keys: values at the path + `{}`.
    Map,
    Struct(Vec<String>),
}

/// The shapes found, by path: `clusters[].name`, `rules{}`, `clusters[].version?`.
pub type Shapes = BTreeMap<String, Shape>;

/// Trace the type `T` deserializes: every path below the root, and its shape.
pub fn trace<'de, T: de::Deserialize<'de>>() -> Shapes {
    let shapes = RefCell::new(Shapes::new());
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(enter) = runs.pop() {
        let before: Vec<String> = shapes.borrow().keys().cloned().collect();
        let _ = T::deserialize(Tracer {
            path: String::new(),
            enter: &enter,
            depth: 0,
            shapes: &shapes,
        });
        // A struct found in this run: one more run per field, entering it.
        let found: Vec<(String, Vec<String>)> = shapes
            .borrow()
            .iter()
            .filter(|(path, _)| !before.contains(path))
            .filter_map(|(path, shape)| match shape {
                Shape::Struct(fields) => Some((path.clone(), fields.clone())),
                _ => None,
            })
            .collect();
        for (_, fields) in found {
            for field in fields {
                let mut next = enter.clone();
                next.push(field);
                runs.push(next);
            }
        }
    }
    shapes.into_inner()
}

/// The end of a run: a shape was recorded (or the type asked for something not traced).
#[derive(Debug)]
pub struct Stop(String);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Stop(message.to_string())
    }
}

struct Tracer<'t> {
    path: String,
    /// The field to enter at each struct of the path, outermost first.
    enter: &'t [String],
    /// How many structs of the path are entered already.
    depth: usize,
    shapes: &'t RefCell<Shapes>,
}

impl<'t> Tracer<'t> {
    fn record(&self, shape: Shape) -> Stop {
        self.shapes
            .borrow_mut()
            .entry(self.path.clone())
            .or_insert(shape);
        Stop("recorded".into())
    }

    fn below(&self, suffix: &str, depth: usize) -> Tracer<'t> {
        Tracer {
            path: format!("{}{suffix}", self.path),
            enter: self.enter,
            depth,
            shapes: self.shapes,
        }
    }
}

macro_rules! shapes {
    ($($method:ident => $shape:expr),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
            Err(self.record($shape))
        })*
    };
}

impl<'de> Deserializer<'de> for Tracer<'_> {
    type Error = Stop;

    shapes! {
        deserialize_any => Shape::Any,
        deserialize_ignored_any => Shape::Any,
        deserialize_bool => Shape::Bool,
        deserialize_i8 => Shape::Integer { signed: true },
        deserialize_i16 => Shape::Integer { signed: true },
        deserialize_i32 => Shape::Integer { signed: true },
        deserialize_i64 => Shape::Integer { signed: true },
        deserialize_i128 => Shape::Integer { signed: true },
        deserialize_u8 => Shape::Integer { signed: false },
        deserialize_u16 => Shape::Integer { signed: false },
        deserialize_u32 => Shape::Integer { signed: false },
        deserialize_u64 => Shape::Integer { signed: false },
        deserialize_u128 => Shape::Integer { signed: false },
        deserialize_f32 => Shape::Number,
        deserialize_f64 => Shape::Number,
        deserialize_char => Shape::String,
        deserialize_str => Shape::String,
        deserialize_string => Shape::String,
        deserialize_identifier => Shape::String,
        deserialize_bytes => Shape::Any,
        deserialize_byte_buf => Shape::Any,
        deserialize_unit => Shape::Any,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let _ = self.record(Shape::Option);
        let depth = self.depth;
        visitor.visit_some(self.below("?", depth))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let _ = self.record(Shape::Seq);
        let depth = self.depth;
        visitor.visit_seq(OneItem(Some(self.below("[]", depth))))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let _ = self.record(Shape::Map);
        let depth = self.depth;
        visitor.visit_map(OneEntry {
            key: Some("key"),
            value: Some(self.below("{}", depth)),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let _ = self.record(Shape::Struct(
            fields.iter().map(ToString::to_string).collect(),
        ));
        let Some(field) = self.enter.get(self.depth) else {
            return Err(Stop("struct recorded".into()));
        };
        let Some(key) = fields.iter().copied().find(|f| f == field) else {
            return Err(Stop("no such field".into()));
        };
        let prefix = if self.path.is_empty() { "" } else { "." };
        let value = self.below(&format!("{prefix}{key}"), self.depth + 1);
        visitor.visit_map(OneEntry {
            key: Some(key),
            value: Some(value),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        Err(self.record(Shape::Enum(
            variants.iter().map(ToString::to_string).collect(),
        )))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        Err(self.record(Shape::Any))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }
}

/// A sequence of one item, traced.
struct OneItem<'t>(Option<Tracer<'t>>);

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Stop;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Stop> {
        match self.0.take() {
            Some(tracer) => seed.deserialize(tracer).map(Some),
            None => Ok(None),
        }
    }
}

/// A map of one entry: a key given as a string, its value traced.
struct OneEntry<'t> {
    key: Option<&'static str>,
    value: Option<Tracer<'t>>,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Stop> {
        match self.value.take() {
            Some(tracer) => seed.deserialize(tracer),
            None => Err(Stop("no value".into())),
        }
    }
}
