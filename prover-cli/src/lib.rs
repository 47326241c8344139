//! The pieces of the `zkml` command line: proving and key files, ceremonies, the chain and IPFS clients. The
//! circuits and quantization live in the `zkml-circuits` crate (re-exported here as [`circuit`] and [`quant`]).
pub mod ceremony;
pub mod files;
pub mod io;
pub mod prover;
pub mod chain;
pub mod ipfs;
pub mod net;
pub mod train;

pub use zkml_circuits::{self as circuit, quant};
