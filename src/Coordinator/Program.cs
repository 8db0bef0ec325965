using System.CommandLine;

namespace QuantCluster.Coordinator;

/// <summary>Entry point of the coordinator process: `--plan qat.yaml` runs a whole job on the embedded cluster.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var plan = new Option<string>("--plan") { Description = "The plan (YAML) to run", Required = true };
        var output = new Option<string?>("--output") { Description = "Output folder; overrides the plan's `output`" };
        var root = new RootCommand("QuantCluster: turns an FP32 model into a verified INT8 model on an actor cluster") { plan, output };
        root.SetAction((parsed, cancel) => JobCommand.RunAsync(parsed.GetValue(plan)!, parsed.GetValue(output), Console.Out, Console.Error, cancel));
        return await root.Parse(args).InvokeAsync();
    }
}
