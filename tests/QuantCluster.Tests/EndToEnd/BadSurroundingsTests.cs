using QuantCluster.Coordinator;
using QuantCluster.Coordinator.Reporting;

namespace QuantCluster.Tests.EndToEnd;

/// <summary>A job whose plan file or output folder is unusable stops with one clear line before any node starts, or leaves nothing half-written.</summary>
[Collection(SequentialJobs.Name)]
public sealed class BadSurroundingsTests : IDisposable
{
    private const string QuickPlan = "name: quick\nmodel: mlp\nmode: ptq\nfp32:\n  epochs: 1\n";

    private readonly JobRunner _runner = new();

    [Fact]
    public async Task A_plan_path_that_is_a_folder_is_named_as_one()
    {
        var (code, stderr) = await RunAsync(new JobRequest(_runner.Root, Path.Combine(_runner.Root, "out")));

        Assert.Equal(JobCommand.BadPlan, code);
        Assert.Contains("is a folder, not a plan file", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task An_output_path_that_is_a_file_stops_the_job_before_it_starts()
    {
        var output = Path.Combine(_runner.Root, "taken");
        await File.WriteAllTextAsync(output, "not a folder");

        var (code, stderr) = await RunAsync(new JobRequest(await PlanAsync(), output));

        Assert.Equal(JobCommand.BadPlan, code);
        Assert.Contains($"output folder {output} is a file", stderr);
        Assert.Equal("not a folder", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_made_stops_the_job_before_it_starts()
    {
        // /proc takes no new files, even from root (CI runs as root, so permissions alone would prove nothing).
        var output = Path.Combine("/proc/self", "quantcluster-out");

        var (code, stderr) = await RunAsync(new JobRequest(await PlanAsync(), output));

        Assert.Equal(JobCommand.BadPlan, code);
        Assert.Contains($"output folder {output} cannot be made in /proc/self", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Results_that_cannot_all_be_written_are_not_written_at_all()
    {
        var output = Path.Combine(_runner.Root, "blocked");
        Directory.CreateDirectory(Path.Combine(output, "report.json"));

        var (code, stderr) = await RunAsync(new JobRequest(await PlanAsync(), output));

        Assert.Equal(JobCommand.Failed, code);
        Assert.Contains("report.json is a folder, so the job's results were not written", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(Directory.GetFiles(output));
        Assert.False(Directory.Exists(Path.Combine(output, OutputWriter.StagingFolder)));
        Assert.Contains("results were not written", await File.ReadAllTextAsync(Path.Combine(output, "logs", "quantcluster.json")));
    }

    public void Dispose() => _runner.Dispose();

    private async Task<string> PlanAsync()
    {
        var plan = Path.Combine(_runner.Root, "quick.yaml");
        await File.WriteAllTextAsync(plan, QuickPlan);
        return plan;
    }

    private static async Task<(int Code, string Stderr)> RunAsync(JobRequest request)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await JobCommand.RunAsync(request, stdout, stderr, CancellationToken.None);
        return (code, stderr.ToString());
    }
}
