namespace QuantCluster.Quantization.Data;

/// <summary>How a data set's files hold its samples and labels.</summary>
public enum DataFormat
{
    /// <summary>An IDX images file (N x H x W unsigned bytes, gzipped or not) and an IDX labels file.</summary>
    IdxFiles,

    /// <summary>A NumPy .npy images array and a .npy labels array.</summary>
    NpyFiles,

    /// <summary>One NumPy .npz archive holding the arrays `images` and `labels`.</summary>
    Npz,

    /// <summary>A folder with one subfolder of PNG or JPEG images per class (torchvision's ImageFolder).</summary>
    ImageFolder,
}
