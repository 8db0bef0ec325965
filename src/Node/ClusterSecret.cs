using System.Security.Cryptography;
using System.Text;

namespace QuantCluster.Node;

/// <summary>
/// The secret every process of one cluster shares (a mounted file in Kubernetes, an environment variable elsewhere).
/// It never crosses the wire: a member proves it holds it with an HMAC over what it announces, bound to the address it
/// announces from, so a proof seen on the wire cannot register another node.
/// </summary>
public sealed class ClusterSecret
{
    /// <summary>16 bytes: anything shorter is guessable enough that it would only give a feeling of safety.</summary>
    public const int MinimumBytes = 16;

    private readonly byte[] _key;

    public ClusterSecret(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumBytes) throw new ArgumentException($"the cluster secret has {key.Length} bytes; at least {MinimumBytes} are required");
        _key = key.ToArray();
    }

    /// <summary>The secret from a file (surrounding whitespace ignored, so `echo secret > file` works), or from the variable's value.</summary>
    /// <exception cref="ArgumentException">The file cannot be read, or the secret is too short; the message names the option.</exception>
    public static ClusterSecret? Load(string? file, string? value)
    {
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--secret-file: cannot read {file}: {e.Message}");
            }
            return Parse(text, $"--secret-file {file}");
        }
        return value is null ? null : Parse(value, "QUANTCLUSTER_SECRET");
    }

    /// <summary>Hex HMAC-SHA256 of the fields, joined by newlines.</summary>
    public string Prove(params string[] fields) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Join('\n', fields))));

    /// <summary>Whether <paramref name="proof"/> is this secret's proof of the fields; compares in constant time.</summary>
    public bool Verifies(string proof, params string[] fields) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(proof), Encoding.ASCII.GetBytes(Prove(fields)));

    private static ClusterSecret Parse(string text, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(text.Trim());
        if (bytes.Length < MinimumBytes)
            throw new ArgumentException($"{source}: the cluster secret has {bytes.Length} bytes; at least {MinimumBytes} are required (e.g. `openssl rand -hex 32`)");
        return new ClusterSecret(bytes);
    }
}
