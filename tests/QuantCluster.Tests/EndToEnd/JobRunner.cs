using System.Text.Json;
using QuantCluster.Coordinator;

namespace QuantCluster.Tests.EndToEnd;

/// <summary>Runs the coordinator's job command on a plan written to a temporary folder, as a user would from the command line.</summary>
internal sealed class JobRunner : IDisposable
{
    public JobRunner()
    {
        Root = Path.Combine(Path.GetTempPath(), "quantcluster-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Output(string name) => Path.Combine(Root, name);

    public async Task<(int ExitCode, string Stderr)> RunAsync(string name, string yaml)
    {
        var plan = Path.Combine(Root, name + ".yaml");
        await File.WriteAllTextAsync(plan, yaml);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await JobCommand.RunAsync(new JobRequest(plan, Output(name)), stdout, stderr, CancellationToken.None);
        return (code, stderr.ToString());
    }

    public JsonElement Report(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Output(name), "report.json"))).RootElement;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A log file still closing must not fail the test; the folder is in /tmp.
        }
    }
}
