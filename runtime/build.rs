//! Builds the runtime to Wasm (see scripts/setup.sh for the toolchain on machines without a wasm32 target).
fn main() {
    #[cfg(feature = "std")]
    substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
