namespace QuantCluster.Coordinator.Plans;

/// <summary>Resolves the files a plan names (data, weights) to absolute paths that exist, so workers never hit a missing file mid-job.</summary>
internal static class PlanFiles
{
    /// <summary>A path the user wrote: relative to the working directory, and it must exist.</summary>
    public static string? Given(PlanSection section, string key, string workingDirectory, string what)
    {
        var allowed = $"allowed: a path to an existing {what}; relative paths are resolved against {workingDirectory}";
        var text = section.OptionalString(key, allowed);
        if (text is null)
        {
            return null;
        }

        var full = System.IO.Path.GetFullPath(text, workingDirectory);
        if (Directory.Exists(full))
        {
            throw section.Error(key, $"'{text}' is a folder, not a file (looked at {full})", allowed);
        }

        if (!File.Exists(full))
        {
            throw section.Error(key, $"file '{text}' does not exist (looked for {full})", allowed);
        }

        return full;
    }

    /// <summary>A path the user wrote, or else the default, looked up in the working directory and then each parent folder.</summary>
    /// <remarks>The parent walk lets `dotnet run` from src/Coordinator find the repository's data/ folder.</remarks>
    public static string GivenOrDefault(PlanSection section, string key, string defaultPath, string workingDirectory, string what)
    {
        if (Given(section, key, workingDirectory, what) is { } given)
        {
            return given;
        }

        for (var folder = new DirectoryInfo(workingDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.GetFullPath(defaultPath, folder.FullName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw section.Error(
            key,
            $"default {what} '{defaultPath}' not found in {workingDirectory} or any parent folder",
            $"allowed: set {section.KeyPath(key)} to an existing file, or run from the folder that holds {defaultPath}");
    }
}
