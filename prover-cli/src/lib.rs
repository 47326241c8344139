//! The zkml prover: the claim circuit, the one implementation of quantized arithmetic, and the pieces of the
//! `zkml` command line.
pub mod ceremony;
pub mod circuit;
pub mod files;
pub mod io;
pub mod prover;
pub mod quant;
pub mod chain;
pub mod ipfs;
pub mod net;
pub mod train;
