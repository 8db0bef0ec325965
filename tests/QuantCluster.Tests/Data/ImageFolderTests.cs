using QuantCluster.Quantization.Data;
using SkiaSharp;

namespace QuantCluster.Tests.Data;

/// <summary>Data sets as folders of images (torchvision's ImageFolder), written with SkiaSharp in the test, and each way they can be wrong.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Class_folders_sorted_ordinally_give_the_labels_and_images_become_the_models_shape()
    {
        // 'B' sorts before 'a' ordinally, so it is class 0.
        WriteImage("a/1.png", 40, 30, new SKColor(255, 255, 255), SKEncodedImageFormat.Png);
        WriteImage("B/1.jpg", 8, 8, new SKColor(0, 0, 0), SKEncodedImageFormat.Jpeg);
        WriteImage("B/2.PNG", 28, 28, new SKColor(0, 0, 0), SKEncodedImageFormat.Png);
        File.WriteAllText(Path.Combine(_temp.Path, "B", "notes.txt"), "skipped, as ImageFolder skips it");

        var data = TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 28, 28]);

        Assert.Equal(new[] { 0, 0, 1 }, data.Labels);
        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        var white = data.Inputs([2]);
        Assert.All(white, v => Assert.Equal(1f, v));
        Assert.All(data.Inputs([0, 1]), v => Assert.InRange(v, 0f, 0.02f));
    }

    [Fact]
    public void Colour_images_become_grayscale_for_one_channel_and_rgb_for_three()
    {
        WriteImage("red/1.png", 4, 4, new SKColor(255, 0, 0), SKEncodedImageFormat.Png);

        var gray = TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 2, 2]);
        var rgb = TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [3, 2, 2]);

        // ITU-R 601 luma of pure red, as PIL's convert("L"): 0.299 * 255 = 76.
        Assert.All(gray.Bytes(), b => Assert.Equal(76, b));
        Assert.Equal(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0 }, rgb.Bytes());
    }

    [Fact]
    public void An_empty_folder_is_rejected()
    {
        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 28, 28]));

        Assert.Equal($"{_temp.Path}: no class folders; allowed: one subfolder per class holding .png or .jpg images", e.Message);
    }

    [Fact]
    public void A_class_folder_without_images_is_rejected_by_name()
    {
        WriteImage("cat/1.png", 4, 4, SKColors.Gray, SKEncodedImageFormat.Png);
        Directory.CreateDirectory(Path.Combine(_temp.Path, "dog"));
        File.WriteAllText(Path.Combine(_temp.Path, "dog", "readme.txt"), "no images here");

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 28, 28]));

        Assert.Equal($"{Path.Combine(_temp.Path, "dog")}: class folder 'dog' holds no .png, .jpg or .jpeg images", e.Message);
    }

    [Fact]
    public void A_file_that_does_not_decode_is_rejected_by_its_path()
    {
        WriteImage("cat/1.png", 4, 4, SKColors.Gray, SKEncodedImageFormat.Png);
        string broken = Path.Combine(_temp.Path, "cat", "2.jpg");
        File.WriteAllText(broken, "not a jpeg");

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 28, 28]));

        Assert.StartsWith($"{broken}: does not decode as an image", e.Message);
    }

    [Fact]
    public void More_class_folders_than_the_model_has_classes_is_rejected_naming_the_first_too_many()
    {
        foreach (var name in new[] { "a", "b", "c" }) WriteImage($"{name}/1.png", 4, 4, SKColors.Gray, SKEncodedImageFormat.Png);

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.ImageFolder, _temp.Path, null, [1, 4, 4], classes: 2));

        Assert.StartsWith($"{Path.Combine(_temp.Path, "c")}: class folder 3 of 3 would be class 2, outside the model's 2 classes (0-1)", e.Message);
    }

    private void WriteImage(string relative, int width, int height, SKColor colour, SKEncodedImageFormat format)
    {
        string path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, 95);
        File.WriteAllBytes(path, encoded.ToArray());
    }
}
