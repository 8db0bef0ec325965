using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Walks the raw YAML events to report syntax errors and duplicate keys with the key path they occur under.</summary>
/// <remarks>
/// YamlDotNet's representation model rejects duplicates too, but only with a mark and no path, and a few malformed
/// inputs make its scanner throw InvalidOperationException with no mark at all; walking the events ourselves gives both.
/// </remarks>
internal static class YamlStructureScan
{
    public const string SyntaxAdvice = "fix the YAML syntax (indentation, a ': ' after each key, matching quotes and brackets)";

    public static void Check(string yamlText, string sourceName)
    {
        CheckIndentation(yamlText, sourceName);
        var frames = new Stack<Frame>();
        var lastGood = Mark.Empty;
        var parser = new Parser(new StringReader(yamlText));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                Visit(current, frames, sourceName);
                lastGood = current.End;
            }
        }
        catch (YamlException e)
        {
            // YamlDotNet's Start is where the construct it was reading began ("While scanning a mapping": the mapping's
            // first key, so a tab on line 4 was reported at 1:1); End is where it found the problem.
            throw SyntaxError(PlanLocation.At(sourceName, e.End), CurrentPath(frames), e.Message);
        }
        catch (InvalidOperationException)
        {
            var where = lastGood.Equals(Mark.Empty) ? new PlanLocation(sourceName, 1, 1) : PlanLocation.At(sourceName, lastGood);
            // The scanner gives no reason here; in practice it is an unclosed flow collection.
            throw SyntaxError(where, CurrentPath(frames), "cannot read what follows here (an unclosed '[' or '{'?)");
        }
    }

    // YamlDotNet reports a tab in the indentation at the start of the mapping it was reading (1:1 for a top-level one),
    // far from the tab; a tab is easy to find before parsing, and worth its own plain message.
    private static void CheckIndentation(string yamlText, string sourceName)
    {
        var lines = yamlText.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int indent = line.Length - line.TrimStart(' ', '\t').Length;
            int tab = line.IndexOf('\t', 0, indent);
            if (tab >= 0 && line.TrimStart().Length > 0 && !line.TrimStart().StartsWith('#'))
                throw new PlanException(new PlanLocation(sourceName, i + 1, tab + 1), "(indentation)",
                    "YAML syntax error: a tab indents this line, and YAML indents with spaces only", "replace the tab with spaces");
        }
    }

    public static PlanException SyntaxError(PlanLocation where, string keyPath, string parserMessage) =>
        new(where, keyPath, "YAML syntax error: " + parserMessage.TrimEnd('.'), SyntaxAdvice);

    private static void Visit(ParsingEvent current, Stack<Frame> frames, string sourceName)
    {
        switch (current)
        {
            case MappingStart:
                frames.Push(new Frame(ChildPath(frames), isMapping: true));
                break;
            case SequenceStart:
                frames.Push(new Frame(ChildPath(frames), isMapping: false));
                break;
            case MappingEnd or SequenceEnd:
                frames.Pop();
                NodeDone(frames);
                break;
            case Scalar scalar when frames.TryPeek(out var parent) && parent.IsMapping && parent.ExpectingKey:
                AddKey(parent, scalar, sourceName);
                break;
            case Scalar or AnchorAlias:
                NodeDone(frames);
                break;
            case DocumentStart:
                frames.Clear();
                break;
            default:
                break;
        }
    }

    private static void AddKey(Frame mapping, Scalar key, string sourceName)
    {
        var path = Join(mapping.Path, key.Value);
        if (mapping.Keys.TryGetValue(key.Value, out var first))
        {
            throw new PlanException(
                PlanLocation.At(sourceName, key.Start),
                path,
                $"duplicate key '{key.Value}' (first given at line {first.Line}, column {first.Column})",
                "each key may appear once per mapping; keep one of them");
        }

        mapping.Keys.Add(key.Value, key.Start);
        mapping.PendingKey = key.Value;
        mapping.ExpectingKey = false;
    }

    // A complete node (scalar, alias, or closed collection) fills the parent's current slot.
    private static void NodeDone(Stack<Frame> frames)
    {
        if (!frames.TryPeek(out var parent))
        {
            return;
        }

        if (!parent.IsMapping)
        {
            parent.Index++;
        }
        else if (parent.ExpectingKey)
        {
            // A non-scalar key (rare YAML "? " form): its value comes next, under a path we cannot name.
            parent.PendingKey = "?";
            parent.ExpectingKey = false;
        }
        else
        {
            parent.ExpectingKey = true;
        }
    }

    private static string ChildPath(Stack<Frame> frames)
    {
        if (!frames.TryPeek(out var parent))
        {
            return "";
        }

        if (!parent.IsMapping)
        {
            return $"{parent.Path}[{parent.Index}]";
        }

        return parent.ExpectingKey ? Join(parent.Path, "?") : Join(parent.Path, parent.PendingKey);
    }

    private static string CurrentPath(Stack<Frame> frames)
    {
        if (!frames.TryPeek(out var top))
        {
            return "(root)";
        }

        var path = top.IsMapping && !top.ExpectingKey ? Join(top.Path, top.PendingKey) : top.Path;
        return path.Length == 0 ? "(root)" : path;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class Frame(string path, bool isMapping)
    {
        public string Path { get; } = path;

        public bool IsMapping { get; } = isMapping;

        public Dictionary<string, Mark> Keys { get; } = new(StringComparer.Ordinal);

        public bool ExpectingKey { get; set; } = true;

        public string PendingKey { get; set; } = "";

        public int Index { get; set; }
    }
}
