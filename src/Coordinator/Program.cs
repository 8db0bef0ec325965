namespace QuantCluster.Coordinator;

/// <summary>Entry point of the coordinator process.</summary>
public static class Program
{
    public static int Main(string[] args) => args.Length >= 0 ? 0 : 1;
}
