using System.Text.RegularExpressions;
using QuantCluster.Coordinator.Plans;
using YamlDotNet.RepresentationModel;

namespace QuantCluster.Tests.Plans;

/// <summary>
/// docker-compose.yml and k8s/ configure the programs only through QUANTCLUSTER_* variables and a plan; neither can be
/// run here, so these check what a typo would otherwise hide until a cluster silently ignored a setting.
/// </summary>
public sealed partial class ContainerFilesTests : IDisposable
{
    private readonly PlanWorkspace _workspace = PlanWorkspace.WithData();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("docker-compose.yml")]
    [InlineData("k8s/coordinator.yaml")]
    [InlineData("k8s/workers.yaml")]
    [InlineData("k8s/calibration.yaml")]
    public void Every_variable_a_container_file_sets_is_one_a_program_reads(string file)
    {
        var read = Directory.GetFiles(Path.Combine(Repository.Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => QuotedVariable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();

        var set = Variable().Matches(File.ReadAllText(Path.Combine(Repository.Root(), file))).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(set);
        Assert.All(set, variable => Assert.True(read.Contains(variable), $"{file} sets {variable}, which no program reads"));
    }

    [Fact]
    public void The_kubernetes_plan_loads()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Repository.Root(), "k8s", "plan.yaml"))));
        var data = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("data")];
        var yaml = ((YamlScalarNode)data.Children[new YamlScalarNode("plan.yaml")]).Value!;

        var plan = PlanLoader.Parse(yaml, "k8s/plan.yaml", null, _workspace.Root);

        Assert.Equal(2, plan.Qat.Workers);
    }

    [Fact]
    public void The_compose_plan_is_in_the_image()
    {
        var compose = File.ReadAllText(Path.Combine(Repository.Root(), "docker-compose.yml"));
        var plan = Regex.Match(compose, @"QUANTCLUSTER_PLAN: (\S+)").Groups[1].Value;

        Assert.StartsWith("examples/", plan, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Repository.Root(), plan)), plan);
        Assert.Contains("COPY examples/ examples/", File.ReadAllText(Path.Combine(Repository.Root(), "Dockerfile")), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"QUANTCLUSTER_[A-Z_]+")]
    private static partial Regex Variable();

    [GeneratedRegex(@"""(QUANTCLUSTER_[A-Z_]+)""")]
    private static partial Regex QuotedVariable();
}
