namespace QuantCluster.Quantization.Integer;

/// <summary>
/// A real multiplier M expressed as a Q31 integer and a right shift (Jacob et al. 2018, section 2.2):
/// M = Multiplier * 2^-31 * 2^-Shift. A negative Shift is a left shift (M >= 1). Built and applied by <see cref="FixedPointMultiplier"/>.
/// </summary>
public readonly record struct Requantizer(int Multiplier, int Shift);
