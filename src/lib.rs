//! shohosen reads Japanese outpatient prescriptions (処方箋) from text, PDF and the JAHIS 2D
//! symbol, checks them as a careful pharmacist would, and computes the 2024 long-listed-brand
//! selective-care charge (長期収載品の選定療養, 特別の料金) to the yen.
//!
//! Stages, each a module with a small surface:
//! input adapters ([`input`], [`text`], [`pdf`], [`jahis`]) → one [`model::Prescription`] →
//! [`checks`] → [`fees`] (with products from [`master`]) → [`output`].

pub mod batch;
pub mod budget;
pub mod checks;
pub mod choices;
pub mod date;
pub mod error;
pub mod fees;
pub mod input;
pub mod jahis;
pub mod master;
pub mod model;
pub mod normalize;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod sheet;
pub mod source;
pub mod text;
