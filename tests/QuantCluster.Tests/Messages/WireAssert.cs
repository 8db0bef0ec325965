using System.Collections;
using System.Runtime.InteropServices;

namespace QuantCluster.Tests.Messages;

/// <summary>Compares decoded messages field by field, floats by their bits, because record equality compares arrays by reference.</summary>
internal static class WireAssert
{
    public static void BitExact(object? expected, object? actual, string path = "message")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case float f:
                Assert.True(
                    BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual),
                    $"{path}: expected bits 0x{BitConverter.SingleToInt32Bits(f):X8}, got 0x{BitConverter.SingleToInt32Bits((float)actual):X8}");
                return;
            case double d:
                Assert.True(
                    BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual),
                    $"{path}: expected bits 0x{BitConverter.DoubleToInt64Bits(d):X16}, got 0x{BitConverter.DoubleToInt64Bits((double)actual):X16}");
                return;
            case float[] floats:
                // Compared as ints: 1M reflective element checks would dominate the test's run time.
                Assert.True(
                    MemoryMarshal.Cast<float, int>(floats).SequenceEqual(MemoryMarshal.Cast<float, int>((float[])actual)),
                    $"{path}: float arrays differ in length or bits");
                return;
            case IList list:
                var other = (IList)actual;
                Assert.True(list.Count == other.Count, $"{path}: expected {list.Count} elements, got {other.Count}");
                for (var i = 0; i < list.Count; i++)
                {
                    BitExact(list[i], other[i], $"{path}[{i}]");
                }

                return;
        }

        if (expected.GetType().GetMethod("<Clone>$") is null)
        {
            // Anything that is not a record compares by value; recursing into a long's properties would check nothing.
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        foreach (var property in expected.GetType().GetProperties())
        {
            BitExact(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
