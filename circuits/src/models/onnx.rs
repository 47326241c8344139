//! ONNX input for dense models: the graph PyTorch exports for an `nn.Sequential` of `Linear` and `ReLU`
//! (`Gemm` nodes with `transB = 1`), and the `MatMul` + `Add` form other exporters write, read into a
//! [`Network`].
//!
//! Supported operators, in a chain from the graph's one input: `Gemm` (`alpha = beta = 1`, `transA = 0`, any
//! `transB`, weights and bias as initializers), `MatMul` with an initializer, `Add` of an initializer (the
//! bias), `Relu` between layers, `Identity`, `Flatten` (`axis = 1`), `Cast` to float or double, and before the
//! first layer `ai.onnx.ml`'s `Scaler` (skl2onnx's `StandardScaler`, folded into the first layer); after the last
//! layer a classifier's `Softmax`/`LogSoftmax` (`axis` 1 or −1), `Sigmoid` (one output: binary) or `ArgMax`
//! (`axis = 1`), which do not change the predicted class, skl2onnx's binary head (`Sigmoid`, then
//! `Sub(1, p)` and `Concat(1 − p, p)`), and after the `ArgMax` the label mapping skl2onnx writes
//! (`ArrayFeatureExtractor` over the classes `0..k−1`, `Reshape`, `Cast`); `Reshape` to `[−1, width]`. Any other operator is refused
//! by name, as are external tensor data and a graph that is not one chain. The task comes from the head (a softmax/sigmoid/argmax head is a classifier, a
//! bare output a regressor) unless the caller states it.
//!
//! The protobuf messages below declare only the fields this reader uses, with the ONNX schema's field numbers
//! (`onnx/onnx.proto`); prost skips every other field.
use super::network::{Dense, Network};
use anyhow::{bail, ensure, Context, Result};
use ndarray::{Array1, Array2};
use prost::Message;
use std::collections::HashMap;
use zkml_primitives::model::{Task, MAX_CLASSES};

mod proto {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ModelProto {
        #[prost(message, optional, tag = "7")]
        pub graph: Option<GraphProto>,
        #[prost(string, tag = "2")]
        pub producer_name: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct GraphProto {
        #[prost(message, repeated, tag = "1")]
        pub node: Vec<NodeProto>,
        #[prost(message, repeated, tag = "5")]
        pub initializer: Vec<TensorProto>,
        #[prost(message, repeated, tag = "11")]
        pub input: Vec<ValueInfoProto>,
        #[prost(message, repeated, tag = "12")]
        pub output: Vec<ValueInfoProto>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NodeProto {
        #[prost(string, repeated, tag = "1")]
        pub input: Vec<String>,
        #[prost(string, repeated, tag = "2")]
        pub output: Vec<String>,
        #[prost(string, tag = "4")]
        pub op_type: String,
        #[prost(string, tag = "7")]
        pub domain: String,
        #[prost(message, repeated, tag = "5")]
        pub attribute: Vec<AttributeProto>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct AttributeProto {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(float, tag = "2")]
        pub f: f32,
        #[prost(int64, tag = "3")]
        pub i: i64,
        #[prost(float, repeated, tag = "7")]
        pub floats: Vec<f32>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct TensorProto {
        #[prost(int64, repeated, tag = "1")]
        pub dims: Vec<i64>,
        #[prost(int32, tag = "2")]
        pub data_type: i32,
        #[prost(float, repeated, tag = "4")]
        pub float_data: Vec<f32>,
        #[prost(int32, repeated, tag = "5")]
        pub int32_data: Vec<i32>,
        #[prost(int64, repeated, tag = "7")]
        pub int64_data: Vec<i64>,
        #[prost(string, tag = "8")]
        pub name: String,
        #[prost(bytes = "vec", tag = "9")]
        pub raw_data: Vec<u8>,
        #[prost(double, repeated, tag = "10")]
        pub double_data: Vec<f64>,
        #[prost(int32, tag = "14")]
        pub data_location: i32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ValueInfoProto {
        #[prost(string, tag = "1")]
        pub name: String,
    }
}

/// ONNX `TensorProto.DataType`: FLOAT, INT32, INT64 and DOUBLE.
const FLOAT: i32 = 1;
const INT32: i32 = 6;
const INT64: i32 = 7;
const DOUBLE: i32 = 11;
/// Largest initializer read (elements): far above any model a proof can hold.
const MAX_ELEMENTS: usize = 1 << 26;

/// A matrix or vector initializer as `f64`s, with its dims.
fn tensor(t: &proto::TensorProto) -> Result<(Vec<usize>, Vec<f64>)> {
    ensure!(t.data_location == 0, "initializer {:?} keeps its data in an external file: save the model with the data inside", t.name);
    let dims: Vec<usize> = t.dims.iter().map(|d| usize::try_from(*d).ok().filter(|d| *d > 0)).collect::<Option<_>>().with_context(|| format!("initializer {:?}: bad dims {:?}", t.name, t.dims))?;
    let count = dims.iter().try_fold(1usize, |a, d| a.checked_mul(*d)).filter(|c| *c <= MAX_ELEMENTS).with_context(|| format!("initializer {:?} is too large", t.name))?;
    let values: Vec<f64> = match (t.data_type, t.raw_data.is_empty()) {
        (FLOAT, false) => t.raw_data.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")) as f64).collect(),
        (DOUBLE, false) => t.raw_data.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes"))).collect(),
        (INT64, false) => t.raw_data.chunks_exact(8).map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")) as f64).collect(),
        (FLOAT, true) => t.float_data.iter().map(|v| *v as f64).collect(),
        (DOUBLE, true) => t.double_data.clone(),
        (INT64, true) => t.int64_data.iter().map(|v| *v as f64).collect(),
        (INT32, false) => t.raw_data.chunks_exact(4).map(|b| i32::from_le_bytes(b.try_into().expect("4 bytes")) as f64).collect(),
        (INT32, true) => t.int32_data.iter().map(|v| *v as f64).collect(),
        (d, _) => bail!("initializer {:?} has ONNX data type {d}; only float and double weights are supported", t.name),
    };
    ensure!(values.len() == count, "initializer {:?} holds {} values for dims {:?}", t.name, values.len(), dims);
    ensure!(values.iter().all(|v| v.is_finite()), "initializer {:?} holds a value that is not finite", t.name);
    Ok((dims, values))
}

fn attr<'a>(n: &'a proto::NodeProto, name: &str) -> Option<&'a proto::AttributeProto> {
    n.attribute.iter().find(|a| a.name == name)
}

/// What the graph's last layer feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Head {
    None,
    /// Softmax, LogSoftmax or ArgMax: the class is the argmax of the logits.
    Argmax,
    /// Sigmoid of one output: class 1 iff the logit is > 0.
    Sigmoid,
}

/// Reads an ONNX model of dense layers and ReLUs; `task` overrides what the head says.
pub fn load_onnx(bytes: &[u8], task: Option<Task>) -> Result<Network> {
    let model = proto::ModelProto::decode(bytes).context("not an ONNX model (protobuf ModelProto)")?;
    let graph = model.graph.context("the ONNX model has no graph")?;
    let mut inits: HashMap<&str, &proto::TensorProto> = graph.initializer.iter().map(|t| (t.name.as_str(), t)).collect();
    let inputs: Vec<&str> = graph.input.iter().map(|i| i.name.as_str()).filter(|n| !inits.contains_key(n)).collect();
    ensure!(inputs.len() == 1, "the graph has {} inputs besides its weights; one (the features) is supported", inputs.len());
    let mut current = inputs[0].to_string();
    let mut layers: Vec<Dense> = Vec::new();
    // Whether a ReLU follows the last layer (it must, before the next), and the head once seen.
    let mut relu_after_last = false;
    let mut head = Head::None;
    // A Scaler before the first layer: x' = (x − offset)·scale, folded into that layer.
    let mut scaler: Option<(Vec<f64>, Vec<f64>)> = None;
    // After an ArgMax: the class index, which skl2onnx maps to the label.
    let mut labels = false;
    // skl2onnx's binary head: (p, 1 − p) names after its Sub.
    let mut complement: Option<(String, String)> = None;
    let mut init = |name: &str| -> Result<(Vec<usize>, Vec<f64>)> {
        let t = inits.remove(name).with_context(|| format!("{name:?} is not a weight (initializer) of the graph"))?;
        tensor(t)
    };
    for n in &graph.node {
        let ml_scaler = n.domain == "ai.onnx.ml" && matches!(n.op_type.as_str(), "Scaler" | "ArrayFeatureExtractor");
        ensure!(n.domain.is_empty() || n.domain == "ai.onnx" || ml_scaler, "unsupported ONNX operator {}:{}", n.domain, n.op_type);
        let op = n.op_type.as_str();
        let second = matches!(op, "Add" | "ArrayFeatureExtractor" | "Sub");
        ensure!(n.input.first() == Some(&current) || (second && n.input.get(1) == Some(&current)), "operator {op} does not take the previous result {current:?}: only a chain of layers is supported");
        ensure!(
            head == Head::None
                || matches!(op, "Identity" | "ArgMax" | "Softmax" | "LogSoftmax" | "Cast")
                || (labels && matches!(op, "ArrayFeatureExtractor" | "Reshape"))
                || (head == Head::Sigmoid && matches!(op, "Sub" | "Concat")),
            "operator {op} after the classifier's {head:?} is not supported"
        );
        ensure!(n.output.len() == 1 || op == "ArgMax", "operator {op} with {} outputs is not supported", n.output.len());
        match op {
            "Gemm" | "MatMul" => {
                ensure!(layers.is_empty() || relu_after_last, "two layers without a Relu between them (fold them into one first)");
                if op == "Gemm" {
                    for (name, expected) in [("alpha", 1.0f32), ("beta", 1.0)] {
                        if let Some(a) = attr(n, name) {
                            ensure!(a.f == expected, "Gemm with {name} = {} is not supported (only {expected})", a.f);
                        }
                    }
                    ensure!(attr(n, "transA").map_or(0, |a| a.i) == 0, "Gemm with transA = 1 is not supported");
                }
                let (dims, w) = init(n.input.get(1).context("a layer without weights")?)?;
                ensure!(dims.len() == 2, "weights {:?} of {} dims; a layer has a matrix", n.input[1], dims.len());
                let trans_b = op == "Gemm" && attr(n, "transB").map_or(0, |a| a.i) == 1;
                let w = Array2::from_shape_vec((dims[0], dims[1]), w).expect("counted");
                let w = if trans_b { w.reversed_axes().as_standard_layout().to_owned() } else { w };
                let mut b = Array1::zeros(w.ncols());
                if let Some(c) = n.input.get(2).filter(|c| !c.is_empty()) {
                    let (_, bias) = init(c)?;
                    ensure!(bias.len() == w.ncols(), "bias {c:?} has {} values for {} outputs", bias.len(), w.ncols());
                    b = Array1::from(bias);
                }
                if let Some(prev) = layers.last() {
                    ensure!(prev.w.ncols() == w.nrows(), "a layer takes {} inputs after a layer of {} outputs", w.nrows(), prev.w.ncols());
                }
                let (w, b) = match scaler.take() {
                    // x'·W + b with x' = (x − o)·s is x·(diag(s)·W) + (b − (o·s)·W).
                    Some((offset, scale)) if layers.is_empty() => {
                        let p = w.nrows();
                        let expand = |v: Vec<f64>| if v.len() == 1 { vec![v[0]; p] } else { v };
                        let (offset, scale) = (expand(offset), expand(scale));
                        ensure!(offset.len() == p && scale.len() == p, "Scaler of {} features before a layer of {p} inputs", scale.len());
                        let s = Array1::from(scale);
                        let os = &Array1::from(offset) * &s;
                        let folded = &w * &s.clone().insert_axis(ndarray::Axis(1));
                        (folded, b - os.dot(&w))
                    }
                    _ => (w, b),
                };
                layers.push(Dense { w, b });
                relu_after_last = false;
            }
            "Add" => {
                let layer = layers.last_mut().filter(|_| !relu_after_last).context("Add that is not a layer's bias is not supported")?;
                let other = if n.input[0] == current { &n.input[1] } else { &n.input[0] };
                let (_, bias) = init(other)?;
                ensure!(bias.len() == layer.b.len(), "bias {other:?} has {} values for {} outputs", bias.len(), layer.b.len());
                layer.b = &layer.b + &Array1::from(bias);
            }
            "Relu" => {
                ensure!(!layers.is_empty() && !relu_after_last, "Relu not right after a layer is not supported");
                relu_after_last = true;
            }
            "Identity" => {}
            "Scaler" => {
                ensure!(layers.is_empty() && scaler.is_none(), "a Scaler after the first layer is not supported");
                let floats = |name: &str| attr(n, name).map(|a| a.floats.iter().map(|v| *v as f64).collect::<Vec<f64>>()).unwrap_or_default();
                let (offset, scale) = (floats("offset"), floats("scale"));
                ensure!(!scale.is_empty() && offset.len() == scale.len() && scale.iter().chain(&offset).all(|v| v.is_finite()), "a Scaler needs finite offset and scale of one length");
                scaler = Some((offset, scale));
            }
            "Cast" => {
                let to = attr(n, "to").map_or(0, |a| a.i);
                ensure!(labels || to == FLOAT as i64 || to == DOUBLE as i64, "Cast to ONNX type {to} before the output is not supported");
            }
            "ArrayFeatureExtractor" => {
                // The class labels indexed by the argmax: only the identity mapping 0..k−1.
                let (_, classes) = init(&n.input[0])?;
                let k = layers.last().map_or(0, |l| l.w.ncols()).max(2);
                ensure!(
                    classes.len() == k && classes.iter().enumerate().all(|(i, c)| *c == i as f64),
                    "class labels {classes:?}: zkml needs 0..k−1 (encode the labels as indices first)"
                );
                let _ = n.input.get(1);
            }
            "Reshape" => {
                let (_, shape) = init(n.input.get(1).context("Reshape without a shape")?)?;
                let width = layers.last().map_or(0, |l| l.w.ncols()) as f64;
                ensure!(
                    labels || (shape.len() == 2 && (shape[0] == -1.0 || shape[0] == 0.0) && (shape[1] == width || shape[1] == -1.0)),
                    "Reshape to {shape:?} is not supported (only to [-1, width])"
                );
            }
            "Sub" => {
                // 1 − p of skl2onnx's binary head.
                let (_, one) = init(&n.input[0])?;
                ensure!(one == [1.0], "Sub other than 1 − p after a Sigmoid is not supported");
                complement = Some((n.input[1].clone(), n.output[0].clone()));
            }
            "Concat" => {
                let pair = complement.take().context("Concat other than [1 − p, p] is not supported")?;
                ensure!(
                    n.input.len() == 2 && n.input[0] == pair.1 && n.input[1] == pair.0 && attr(n, "axis").map_or(0, |a| a.i) == 1,
                    "Concat other than [1 − p, p] over axis 1 is not supported"
                );
            }
            "Flatten" => ensure!(attr(n, "axis").map_or(1, |a| a.i) == 1, "Flatten with axis other than 1 is not supported"),
            "Softmax" | "LogSoftmax" | "ArgMax" => {
                let axis = attr(n, "axis").map_or(if op == "ArgMax" { 0 } else { -1 }, |a| a.i);
                ensure!(axis == 1 || axis == -1, "{op} over axis {axis} is not supported (the classes are axis 1)");
                if op == "ArgMax" {
                    ensure!(attr(n, "select_last_index").map_or(0, |a| a.i) == 0, "ArgMax with select_last_index = 1 is not supported");
                    labels = true;
                }
                // After a Sigmoid (skl2onnx's binary head), the argmax of [1 − p, p] is still "class 1 iff z > 0".
                if head != Head::Sigmoid {
                    head = Head::Argmax;
                }
            }
            "Sigmoid" => {
                ensure!(layers.last().is_some_and(|l| l.w.ncols() == 1), "Sigmoid of more than one output is not supported");
                head = Head::Sigmoid;
            }
            other => bail!("unsupported ONNX operator {other} (supported: Gemm, MatMul, Add, Relu, Identity, Flatten, and a Softmax, LogSoftmax, Sigmoid or ArgMax head)"),
        }
        ensure!(head == Head::None || !relu_after_last, "a Relu after the last layer is not supported");
        current = n.output[0].clone();
    }
    ensure!(!layers.is_empty(), "the graph has no layer (Gemm or MatMul)");
    ensure!(scaler.is_none(), "a Scaler that no layer follows is not supported");
    ensure!(!relu_after_last, "a Relu after the last layer is not supported");
    let outputs = layers.last().expect("a layer").w.ncols();
    let task = match (task, head) {
        (Some(t), _) => t,
        (None, Head::Sigmoid) => Task::Classification { classes: 2 },
        (None, Head::Argmax) => Task::Classification { classes: u32::try_from(outputs).ok().filter(|k| (2..=MAX_CLASSES).contains(k)).context("a classifier head over fewer than 2 outputs")? },
        (None, Head::None) => Task::Regression,
    };
    // The one-output binary form becomes [0, z] like every other reader's (see `network`).
    let file = Network { task, layers }.to_file();
    Network::from_file(&file)
}

#[cfg(test)]
mod tests {
    use super::{proto::*, *};

    fn tensor_of(name: &str, dims: &[i64], values: &[f32]) -> TensorProto {
        TensorProto { dims: dims.to_vec(), data_type: FLOAT, float_data: values.to_vec(), name: name.into(), ..Default::default() }
    }

    fn node(op: &str, inputs: &[&str], output: &str, attrs: &[(&str, i64)]) -> NodeProto {
        NodeProto {
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: vec![output.into()],
            op_type: op.into(),
            attribute: attrs.iter().map(|(n, i)| AttributeProto { name: n.to_string(), i: *i, ..Default::default() }).collect(),
            ..Default::default()
        }
    }

    /// PyTorch's export of `Sequential(Linear(2, 3), ReLU(), Linear(3, 2))`, then Softmax.
    fn torch_like(extra: Option<NodeProto>) -> Vec<u8> {
        let mut nodes = vec![
            node("Gemm", &["x", "w1", "b1"], "h", &[("transB", 1)]),
            node("Relu", &["h"], "a", &[]),
            node("Gemm", &["a", "w2", "b2"], "z", &[("transB", 1)]),
            node("Softmax", &["z"], "p", &[("axis", 1)]),
        ];
        nodes.extend(extra);
        let graph = GraphProto {
            node: nodes,
            initializer: vec![
                tensor_of("w1", &[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, -1.0]),
                tensor_of("b1", &[3], &[0.0, 0.5, -0.5]),
                tensor_of("w2", &[2, 3], &[1.0, 2.0, 3.0, -1.0, 0.0, 1.0]),
                tensor_of("b2", &[2], &[0.25, -0.25]),
            ],
            input: vec![ValueInfoProto { name: "x".into() }],
            output: vec![ValueInfoProto { name: "p".into() }],
        };
        ModelProto { graph: Some(graph), producer_name: "pytorch".into() }.encode_to_vec()
    }

    #[test]
    fn reads_a_pytorch_sequential_and_names_what_it_refuses() {
        let net = load_onnx(&torch_like(None), None).unwrap();
        assert_eq!(net.task, Task::Classification { classes: 2 });
        // Weights transposed from PyTorch's out × in.
        assert_eq!(net.layers[0].w, ndarray::arr2(&[[1.0, 0.0, 1.0], [0.0, 1.0, -1.0]]));
        let z = net.forward(ndarray::arr1(&[1.0, 2.0]).view());
        // h = [1, 2.5, -1.5] → relu [1, 2.5, 0] → z = [1 + 5 + 0.25, −1 + 0 − 0.25]
        assert_eq!(z.to_vec(), vec![6.25, -1.25]);
        let err = load_onnx(&torch_like(Some(node("Tanh", &["p"], "q", &[]))), None).unwrap_err().to_string();
        assert!(err.contains("Tanh"), "{err}");
        let mut bytes = torch_like(None);
        bytes.truncate(bytes.len() / 2);
        assert!(load_onnx(&bytes, None).is_err());
        assert!(load_onnx(b"not onnx", None).unwrap_err().to_string().contains("not an ONNX model"));
    }
}
