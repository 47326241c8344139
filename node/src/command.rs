//! Parses the command line and runs the node or the chosen subcommand.
use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicFactory, SubstrateRemarkBuilder, SUBSTRATE_REFERENCE_HARDWARE};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use sp_runtime::traits::{Block as BlockT, HashingFor};
use zkml_runtime::opaque::Block;

use crate::{
    benchmarking::inherent_benchmark_data,
    chain_spec,
    cli::{Cli, Subcommand},
    service,
};

impl SubstrateCli for Cli {
    fn impl_name() -> String {
        "zkml-chain node".into()
    }

    fn impl_version() -> String {
        env!("SUBSTRATE_CLI_IMPL_VERSION").into()
    }

    fn description() -> String {
        env!("CARGO_PKG_DESCRIPTION").into()
    }

    fn author() -> String {
        "zkml-chain developers".into()
    }

    fn support_url() -> String {
        "the zkml-chain repository's issue tracker".into()
    }

    fn copyright_start_year() -> i32 {
        2026
    }

    fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
        Ok(match id {
            "dev" => Box::new(chain_spec::development_chain_spec()?),
            "" | "local" => Box::new(chain_spec::local_chain_spec()?),
            path => Box::new(chain_spec::ChainSpec::from_json_file(path.into())?),
        })
    }
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
    let cli = Cli::from_args();

    match &cli.subcommand {
        Some(Subcommand::Key(cmd)) => cmd.run(&cli),
        Some(Subcommand::BuildSpec(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
        }
        Some(Subcommand::ExportChainSpec(cmd)) => cmd.run(cli.load_spec(&cmd.chain)?),
        Some(Subcommand::CheckBlock(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.async_run(|config| {
                let PartialComponents {
                    client,
                    task_manager,
                    import_queue,
                    ..
                } = service::new_partial(&config)?;
                Ok((cmd.run(client, import_queue), task_manager))
            })
        }
        Some(Subcommand::ExportBlocks(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.async_run(|config| {
                let PartialComponents {
                    client, task_manager, ..
                } = service::new_partial(&config)?;
                Ok((cmd.run(client, config.database), task_manager))
            })
        }
        Some(Subcommand::ExportState(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.async_run(|config| {
                let PartialComponents {
                    client, task_manager, ..
                } = service::new_partial(&config)?;
                Ok((cmd.run(client, config.chain_spec), task_manager))
            })
        }
        Some(Subcommand::ImportBlocks(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.async_run(|config| {
                let PartialComponents {
                    client,
                    task_manager,
                    import_queue,
                    ..
                } = service::new_partial(&config)?;
                Ok((cmd.run(client, import_queue), task_manager))
            })
        }
        Some(Subcommand::PurgeChain(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.sync_run(|config| cmd.run(config.database))
        }
        Some(Subcommand::Revert(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.async_run(|config| {
                let PartialComponents {
                    client,
                    task_manager,
                    backend,
                    ..
                } = service::new_partial(&config)?;
                let revert_grandpa = Box::new(|client, _, blocks| {
                    sc_consensus_grandpa::revert(client, blocks)?;
                    Ok(())
                });
                Ok((cmd.run(client, backend, Some(revert_grandpa)), task_manager))
            })
        }
        Some(Subcommand::Benchmark(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.sync_run(|config| match cmd {
                BenchmarkCmd::Pallet(cmd) => {
                    if !cfg!(feature = "runtime-benchmarks") {
                        return Err("Runtime benchmarking is not compiled in. Build the node with \
                                    `--features runtime-benchmarks` to run `benchmark pallet`."
                            .into());
                    }
                    cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
                }
                BenchmarkCmd::Block(cmd) => {
                    let PartialComponents { client, .. } = service::new_partial(&config)?;
                    cmd.run(client)
                }
                #[cfg(not(feature = "runtime-benchmarks"))]
                BenchmarkCmd::Storage(_) => Err("Storage benchmarking is not compiled in. Build the node with \
                                                 `--features runtime-benchmarks` to run `benchmark storage`."
                    .into()),
                #[cfg(feature = "runtime-benchmarks")]
                BenchmarkCmd::Storage(cmd) => {
                    let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
                    let db = backend.expose_db();
                    let storage = backend.expose_storage();
                    let shared_trie_cache = backend.expose_shared_trie_cache();
                    cmd.run(config, client, db, storage, shared_trie_cache)
                }
                BenchmarkCmd::Overhead(cmd) => {
                    let PartialComponents { client, .. } = service::new_partial(&config)?;
                    let remark_builder = SubstrateRemarkBuilder::new_from_client(client.clone())?;
                    cmd.run(
                        config.chain_spec.name().into(),
                        client,
                        inherent_benchmark_data()?,
                        Vec::new(),
                        &remark_builder,
                        false,
                    )
                }
                BenchmarkCmd::Extrinsic(cmd) => {
                    let PartialComponents { client, .. } = service::new_partial(&config)?;
                    let builders =
                        ExtrinsicFactory(vec![Box::new(SubstrateRemarkBuilder::new_from_client(client.clone())?)]);
                    cmd.run(client, inherent_benchmark_data()?, Vec::new(), &builders)
                }
                BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
            })
        }
        Some(Subcommand::ChainInfo(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.sync_run(|config| cmd.run::<Block>(&config))
        }
        None => {
            let runner = cli.create_runner(&cli.run)?;
            runner.run_node_until_exit(|config| async move {
                let task_manager = match config.network.network_backend {
                    sc_network::config::NetworkBackendType::Libp2p => {
                        service::new_full::<sc_network::NetworkWorker<Block, <Block as BlockT>::Hash>>(config)
                    }
                    sc_network::config::NetworkBackendType::Litep2p => {
                        service::new_full::<sc_network::Litep2pNetworkBackend>(config)
                    }
                };
                task_manager.map_err(sc_cli::Error::Service)
            })
        }
    }
}
