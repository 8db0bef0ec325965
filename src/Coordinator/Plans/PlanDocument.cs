using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Turns plan text into its root mapping, rejecting anything that is not exactly one YAML mapping.</summary>
internal static class PlanDocument
{
    public static YamlMappingNode ReadRoot(string yamlText, string sourceName)
    {
        YamlStructureScan.Check(yamlText, sourceName);

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            // The scan above accepts what the parser accepts, so this only guards against the two disagreeing.
            throw YamlStructureScan.SyntaxError(PlanLocation.At(sourceName, e.Start), "(root)", e.Message);
        }

        var allowed = "a mapping of keys at the root, at least 'name' and 'model'";
        if (stream.Documents.Count == 0)
        {
            throw new PlanException(new PlanLocation(sourceName, 1, 1), "(root)", "the plan is empty", allowed);
        }

        if (stream.Documents.Count > 1)
        {
            throw new PlanException(
                PlanLocation.At(sourceName, stream.Documents[1].RootNode.Start),
                "(root)",
                "found a second YAML document",
                "one document per plan file; remove the extra '---'");
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            throw new PlanException(
                PlanLocation.At(sourceName, root.Start),
                "(root)",
                $"expected a mapping, found {PlanSection.Describe(root)}",
                allowed);
        }

        return mapping;
    }
}
