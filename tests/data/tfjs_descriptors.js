// TensorFlow.js's own output of a graph model node: the oracle for core/formats/tfjs.py.
//
//   node tests/data/tfjs_descriptors.js MODEL_JSON CHIPS_U8 N SIZE NODE OUT_F32
//
// CHIPS_U8: N x SIZE x SIZE x 3 uint8 RGB (raw bytes), fed as float32 0..255 NHWC;
// OUT_F32: the node's N x D float32 output (raw bytes, little-endian).
// Needs @tensorflow/tfjs-core, -converter and -backend-cpu (pure JavaScript) in a
// node_modules folder that node finds (NODE_PATH), e.g. the one .ci/run installs.
"use strict";
const fs = require("fs");
const path = require("path");
const tf = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const { loadGraphModel } = require("@tensorflow/tfjs-converter");

async function main() {
  const [modelJson, chipsFile, n, size, node, outFile] = process.argv.slice(2);
  const model = JSON.parse(fs.readFileSync(modelJson, "utf8"));
  const specs = [];
  const buffers = [];
  for (const group of model.weightsManifest) {
    specs.push(...group.weights);
    for (const shard of group.paths) buffers.push(fs.readFileSync(path.join(path.dirname(modelJson), shard)));
  }
  const weights = Buffer.concat(buffers);
  const handler = tf.io.fromMemory({
    modelTopology: model.modelTopology,
    weightSpecs: specs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length),
    format: model.format,
    signature: model.signature,
  });
  await tf.setBackend("cpu");
  const graph = await loadGraphModel(handler);
  const count = parseInt(n, 10);
  const side = parseInt(size, 10);
  const bytes = fs.readFileSync(chipsFile);
  const input = tf.tensor4d(Float32Array.from(bytes), [count, side, side, 3], "float32");
  const output = graph.execute(input, node);
  const values = await output.data();
  fs.writeFileSync(outFile, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  console.log(`${node}: ${output.shape.join(" x ")} (TF.js ${tf.version_core}, backend ${tf.getBackend()})`);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
