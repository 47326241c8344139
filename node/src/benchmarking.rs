//! Inherent data for the `benchmark overhead` and `benchmark extrinsic` commands, which build blocks
//! outside of consensus.
use sc_cli::Result;
use sp_inherents::{InherentData, InherentDataProvider};

/// The timestamp inherent, set to zero, which is all a block of this runtime needs besides extrinsics.
pub fn inherent_benchmark_data() -> Result<InherentData> {
    let mut inherent_data = InherentData::new();
    let timestamp = sp_timestamp::InherentDataProvider::new(0u64.into());
    futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
        .map_err(|e| format!("creating inherent data: {e:?}"))?;
    Ok(inherent_data)
}
