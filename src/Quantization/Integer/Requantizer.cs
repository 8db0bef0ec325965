namespace QuantCluster.Quantization.Integer;

/// <summary>
/// A real multiplier M in (0, 1) expressed as a Q31 integer and a right shift (Jacob et al. 2018, section 2.2):
/// M = Multiplier * 2^-31 * 2^-Shift. Applied with integer arithmetic only.
/// </summary>
public readonly record struct Requantizer(int Multiplier, int Shift);
