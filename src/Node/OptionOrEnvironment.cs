using System.Globalization;

namespace QuantCluster.Node;

/// <summary>Command-line values fall back to environment variables (QUANTCLUSTER_*), so containers can configure a node without arguments.</summary>
public static class OptionOrEnvironment
{
    public static string? Get(string? given, string variable) =>
        !string.IsNullOrWhiteSpace(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// The given number, else the variable's, else null; a number below <paramref name="atLeast"/>, or a variable that does
    /// not hold a whole number, is an ArgumentException naming the option or the variable it came from.
    /// </summary>
    public static int? GetInt(int? given, string option, string variable, int atLeast)
    {
        if (given is int number)
            return number >= atLeast ? number : throw new ArgumentException($"{option}: {number}; give at least {atLeast}");
        if (Get(null, variable) is not { } text) return null;
        // A typo in a container's environment would otherwise quietly run with the default.
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
            throw new ArgumentException($"{variable}: '{text}' is not a whole number; give at least {atLeast}");
        return number >= atLeast ? number : throw new ArgumentException($"{variable}: {number}; give at least {atLeast}");
    }
}
