namespace QuantCluster.Coordinator.Reporting;

/// <summary>
/// The data a job ran on and how it was read: each split's files and sample count, the model's input shape and classes,
/// and the normalization applied after scaling (null mean and std when none), so a report says what its accuracies are of.
/// </summary>
public sealed record DataFigures(
    string Format,
    string Train,
    int TrainSamples,
    string Test,
    int TestSamples,
    int[] InputShape,
    int Classes,
    string Layout,
    float[]? NormalizeMean,
    float[]? NormalizeStd);
