using QuantCluster.Quantization.Onnx.Import;

namespace QuantCluster.Tests.Onnx.Import;

/// <summary>The imported graph answers under the output name of the user's file, so the models exported from it do too.</summary>
public sealed class ImportNamesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qc-import-names-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("Identity")]
    [InlineData("Dropout")]
    public void An_output_written_by_a_pass_through_keeps_the_users_name(string passThrough)
    {
        string path = new TinyOnnxModel().Then(passThrough, "last", [TinyOnnxModel.Relu], "logits").Save(_folder);

        var graph = OnnxModelImporter.Import(path);

        Assert.Equal("logits", graph.Output);
        Assert.Equal("logits", graph.Nodes[^1].Output);
        Assert.DoesNotContain(graph.Nodes, n => n.Output == TinyOnnxModel.Relu || n.Inputs.Contains(TinyOnnxModel.Relu));
    }

    [Fact]
    public void An_output_computed_under_its_own_name_is_left_as_it_is()
    {
        string path = new TinyOnnxModel().Then("Flatten", "flatten", [TinyOnnxModel.Relu], "logits").Save(_folder);

        Assert.Equal("logits", OnnxModelImporter.Import(path).Output);
    }
}
