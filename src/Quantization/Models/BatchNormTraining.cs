using static TorchSharp.torch;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// What BatchNorm2d.forward computes in training, without its num_batches_tracked.add_(1): TorchSharp turns that 1 (and
/// add_'s alpha) into Scalars nothing keeps alive through the native call, and under GC pressure the finalizer freed
/// one mid-call ("Unknown scalar type" in a replica, fashion-mobilenet-tiny's FP32 epoch 2). momentum is not 0, so the
/// counter only counts; the statistics update and the output are F.batch_norm's, as before.
/// </summary>
internal static class BatchNormTraining
{
    public static Tensor Forward(BatchNorm2d norm, Tensor input)
    {
        if (norm.num_batches_tracked is { } tracked) PinnedScalars.PlusInPlace(tracked, PinnedScalars.OneValue);
        return functional.batch_norm(input, norm.running_mean, norm.running_var, norm.weight, norm.bias, training: true, momentum: norm.momentum!.Value, eps: norm.eps);
    }
}
