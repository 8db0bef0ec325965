using Onnx;
using QuantCluster.Quantization.Onnx.Import;

namespace QuantCluster.Tests.Onnx.Import;

/// <summary>Every way a file can fail to import gives a <see cref="ModelImportException"/> that names the file and what is wrong, and no stack trace.</summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qc-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_truncated_file_is_named_and_called_truncated()
    {
        byte[] whole = File.ReadAllBytes(ShippedOnnxModels.PathOf("resnet-1x28x28-opset13.onnx"));
        string path = Path.Combine(_folder, "cut.onnx");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.StartsWith($"{path}: not an ONNX model, or truncated", error.Message);
    }

    [Theory]
    [InlineData("PNG")]
    [InlineData("text")]
    public void Bytes_that_are_not_onnx_are_named_as_such(string kind)
    {
        string path = Path.Combine(_folder, "not-a-model.onnx");
        byte[] bytes = kind == "PNG" ? [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] : "hello, this is not a model\n"u8.ToArray();
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.StartsWith($"{path}: not an ONNX model, or truncated", error.Message);
    }

    [Fact]
    public void An_unsupported_op_names_the_node_its_op_type_and_the_supported_ops_sorted()
    {
        string path = new TinyOnnxModel().Then("Einsum", "the_einsum", [TinyOnnxModel.Relu, TinyOnnxModel.Relu]).Save(_folder);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.StartsWith($"{path}: node 'the_einsum' (Einsum): unsupported op; supported: Add, AveragePool, BatchNormalization, Clip, Concat, Constant, Conv, ", error.Message);
        string[] listed = error.Message[(error.Message.IndexOf("supported: ", StringComparison.Ordinal) + 11)..].Split(", ");
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Contains("HardSwish", listed);
    }

    [Fact]
    public void An_op_at_an_opset_its_converter_does_not_read_names_the_opsets_it_does()
    {
        var model = new TinyOnnxModel(opset: 18).Then("ReduceMean", "mean", [TinyOnnxModel.Relu]);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(model.Save(_folder)));

        Assert.EndsWith("node 'conv' (Conv): opset 18 is not supported for Conv (supported: opsets 1-17)", error.Message);
    }

    [Fact]
    public void A_dynamic_height_cannot_be_resolved_and_the_input_is_named()
    {
        string path = new TinyOnnxModel(heightDim: "height").Then("Flatten", "flatten", [TinyOnnxModel.Relu]).Save(_folder);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.Equal($"{path}: input 'input' has a dynamic dimension 2 ('height'), so the shapes cannot be resolved; "
            + "every dimension but the batch must be fixed (export with dynamic_axes on axis 0 only)", error.Message);
    }

    [Fact]
    public void A_reshape_to_a_shape_computed_from_the_data_is_refused_by_node()
    {
        // The target shape is the activation itself, not something the importer can fold.
        string path = new TinyOnnxModel().Then("Reshape", "reshape", [TinyOnnxModel.Relu, TinyOnnxModel.Relu]).Save(_folder);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.StartsWith($"{path}: node 'reshape' (Reshape): the target shape ('relu_out') is computed from the model input", error.Message);
    }

    [Fact]
    public void A_shape_that_does_not_fit_the_op_names_the_node()
    {
        var model = new TinyOnnxModel();
        model.Graph.Initializer.Add(TinyOnnxModel.Floats("fc.weight", new float[30], 3, 10));
        string path = model.Then("Flatten", "flatten", [TinyOnnxModel.Relu], "flat").Then("MatMul", "fc", ["flat", "fc.weight"]).Save(_folder);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.Equal($"{path}: node 'fc' (MatMul): input [8] ends in 8 features, the weights expect 3", error.Message);
    }

    [Fact]
    public void External_data_is_refused_with_the_initializer_named()
    {
        var model = new TinyOnnxModel();
        var weight = model.Graph.Initializer[0];
        weight.RawData = Google.Protobuf.ByteString.Empty;
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "tiny.onnx.data" });
        string path = model.Then("Flatten", "flatten", [TinyOnnxModel.Relu]).Save(_folder);

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.Equal($"{path}: initializer 'conv.weight' is stored as external data, outside the .onnx file; "
            + "the importer reads only self-contained models (under 2 GB, torch.onnx.export's default)", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_folder, "absent.onnx");

        var error = Assert.Throws<ModelImportException>(() => OnnxModelImporter.Import(path));

        Assert.Equal($"{path}: no such file", error.Message);
    }
}
