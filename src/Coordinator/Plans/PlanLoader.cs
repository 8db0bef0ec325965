using QuantCluster.Quantization.Models;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads a YAML plan into a validated <see cref="Plan"/>, or explains in one located line why it cannot.</summary>
public static class PlanLoader
{
    private static readonly IReadOnlyList<string> RootKeys =
        ["name", "seed", "output", "mode", "tolerance", "model", "weights", "data", "fp32", "ptq", "qat"];

    public static Plan Load(string planPath, string? outputOverride)
    {
        string text;
        try
        {
            text = File.ReadAllText(planPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlanException(
                null, planPath, $"plan file does not exist (looked for {Path.GetFullPath(planPath)})", "pass --plan with the path of a YAML plan, e.g. examples/qat.yaml");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(planPath))
        {
            throw new PlanException(null, planPath, "is a folder, not a plan file", "pass --plan with the path of a YAML plan, e.g. examples/qat.yaml");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlanException(null, planPath, $"plan file cannot be read: {e.Message}", "pass --plan with the path of a readable YAML plan");
        }

        return Parse(text, planPath, outputOverride);
    }

    public static Plan Parse(string yamlText, string sourceName, string? outputOverride) =>
        Parse(yamlText, sourceName, outputOverride, Directory.GetCurrentDirectory());

    /// <param name="workingDirectory">What relative paths are resolved against; tests pass a temp folder instead of changing the process's current directory.</param>
    public static Plan Parse(string yamlText, string sourceName, string? outputOverride, string workingDirectory)
    {
        var root = PlanSection.Root(PlanDocument.ReadRoot(yamlText, sourceName), sourceName, RootKeys);

        var name = ReadName(root);
        var seed = root.Int("seed", 42, 0, int.MaxValue);
        // An empty --output is a shell slip (unset variable), not a request to write into the current directory.
        var overrideText = string.IsNullOrWhiteSpace(outputOverride) ? null : outputOverride;
        var outputText = overrideText ?? root.OptionalString("output", "allowed: a folder path") ?? Path.Combine("runs", name);
        var mode = root.Choice("mode", JobMode.Auto, PlanVocabulary.Modes);
        var tolerance = root.Double("tolerance", 0.5, 0, minExclusive: false, 100);
        var model = root.RequiredChoice("model", PlanVocabulary.Models);
        var fp32 = Fp32Section.Read(root.Section("fp32", Fp32Section.Keys));
        var ptq = PtqSection.Read(root.Section("ptq", PtqSection.Keys), model, mode);
        var qat = QatSection.Read(root.Section("qat", QatSection.Keys));

        // Files last: mistakes in the plan itself are reported even where the data or checkpoint is not present yet.
        var weights = PlanFiles.Given(root, "weights", workingDirectory, "FP32 checkpoint (model.fp32.ckpt)");
        var data = DataSection.Read(root.Section("data", DataSection.Keys), ModelZoo.Signature(model), workingDirectory);

        return new Plan(name, seed, Path.GetFullPath(outputText, workingDirectory), mode, tolerance, model, weights, data, fp32, ptq, qat);
    }

    // The name becomes a folder (runs/<name>), so it must be safe as one path segment on every OS.
    private static string ReadName(PlanSection root)
    {
        const string allowed = "allowed: letters, digits, '.', '_' and '-', starting with a letter or digit";
        var name = root.RequiredString("name", allowed);
        var valid = name.Length > 0
            && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!valid)
        {
            throw root.Error("name", $"'{name}' is not a valid name (it names the output folder)", allowed);
        }

        return name;
    }
}
