namespace QuantCluster.Quantization.Data;

/// <summary>The contents of one unsigned-byte IDX file: its dimensions and its bytes in row-major order.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data);
