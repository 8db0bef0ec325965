using System.Runtime.CompilerServices;
using QuantCluster.Quantization;

namespace QuantCluster.Tests;

/// <summary>Prepares the test host as every QuantCluster process is prepared, before any test touches torch.</summary>
internal static class TestProcess
{
    // A module initializer, not a fixture: tests outside the torch collection also load libtorch, and the malloc
    // thresholds must be set before libtorch allocates. One thread: two torch threads on two loaded cores can be
    // 20-100x slower.
#pragma warning disable CA2255 // the test assembly is an application's entry in effect: the test host loads it first
    [ModuleInitializer]
    internal static void Prepare() => TorchProcess.Prepare(threads: 1);
#pragma warning restore CA2255
}
