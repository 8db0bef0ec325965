using QuantCluster.Coordinator.Plans;
using QuantCluster.Quantization.Data;
using QuantCluster.Tests.Data;

namespace QuantCluster.Tests.Plans;

/// <summary>The forms data.train and data.test take, data.layout and data.normalize, and the located errors for each misuse.</summary>
public sealed class DataPlanTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void An_npz_a_folder_and_a_pair_of_npy_files_are_each_a_split()
    {
        string npz = workspace.Touch("mine/train.npz");
        workspace.Touch("mine/x.npy");
        workspace.Touch("mine/y.npy");
        Directory.CreateDirectory(Path.Combine(workspace.Root, "mine/folder"));

        var plan = workspace.Parse("name: t\nmodel: lenet\ndata:\n  train: mine/train.npz\n  test: mine/folder\n  layout: nhwc\n");
        var pair = workspace.Parse("name: t\nmodel: lenet\ndata:\n  train: {images: mine/x.npy, labels: mine/y.npy}\n");

        Assert.Equal(new DataFiles(DataFormat.Npz, npz, null, "data.train", new PlanLocation("plan.yaml", 4, 10)), plan.Data.Train);
        Assert.Equal(DataFormat.ImageFolder, plan.Data.Test.Format);
        Assert.Equal(ArrayLayout.Nhwc, plan.Data.Layout);
        Assert.Equal(DataFormat.NpyFiles, pair.Data.Train.Format);
        Assert.Equal(Path.Combine(workspace.Root, "mine/y.npy"), pair.Data.Train.Labels);
        Assert.Equal(DataFormat.IdxFiles, pair.Data.Test.Format); // the older default
    }

    [Fact]
    public void Normalize_takes_one_mean_and_std_per_input_channel() =>
        Assert.Equal(
            [0.5f, 0.25f],
            [.. workspace.Parse("name: t\nmodel: lenet\ndata:\n  normalize: {mean: [0.5], std: [0.25]}\n").Data.Normalization.Mean,
             .. workspace.Parse("name: t\nmodel: lenet\ndata:\n  normalize: {mean: [0.5], std: [0.25]}\n").Data.Normalization.Std]);

    [Fact]
    public void The_old_and_the_new_form_for_one_split_is_an_error_at_the_old_key()
    {
        workspace.Touch("mine/train.npz");

        Assert.Equal(
            "plan.yaml:5:17: data.train_images: train is given twice: as data.train and as data.train_images; allowed: one of data.train or data.train_images/train_labels; data.train is the newer form",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  train: mine/train.npz\n  train_images: data/mnist/train-images-idx3-ubyte.gz\n").Message);
    }

    [Fact]
    public void A_mean_whose_length_is_not_the_channel_count_is_an_error_at_the_key() =>
        Assert.Equal(
            "plan.yaml:4:21: data.normalize.mean: 3 values for a model with 1 input channel; allowed: a list of 1 number, one per channel of the model's 1x28x28 input",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  normalize: {mean: [0.5, 0.5, 0.5], std: [0.2]}\n").Message);

    [Fact]
    public void A_std_of_zero_is_an_error_at_the_key() =>
        Assert.Equal(
            "plan.yaml:4:33: data.normalize.std: std[0] is 0, and a std of 0 or below divides by nothing sensible; allowed: a list of 1 number, one per channel of the model's 1x28x28 input, each above 0",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  normalize: {mean: [0.5], std: [0]}\n").Message);

    [Fact]
    public void A_std_that_is_not_a_number_is_an_error_at_the_item() =>
        Assert.StartsWith(
            "plan.yaml:4:34: data.normalize.std: expected a number, found 'wide'",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  normalize: {mean: [0.5], std: [wide]}\n").Message);

    [Fact]
    public void A_single_file_that_is_not_an_npz_is_an_error_at_the_key()
    {
        workspace.Touch("mine/train.npy");

        Assert.StartsWith(
            "plan.yaml:4:10: data.train: 'mine/train.npy' is a file but not an .npz archive; allowed: a path to an .npz file",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  train: mine/train.npy\n").Message);
    }

    [Fact]
    public void A_missing_path_is_an_error_at_the_key() =>
        Assert.StartsWith(
            "plan.yaml:4:10: data.train: 'nowhere.npz' does not exist",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  train: nowhere.npz\n").Message);

    [Fact]
    public void A_pair_of_one_npy_and_one_idx_file_is_an_error_at_the_labels()
    {
        workspace.Touch("mine/x.npy");

        Assert.StartsWith(
            "plan.yaml:4:39: data.train.labels: train-labels-idx1-ubyte.gz is IDX but x.npy is .npy",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  train: {images: mine/x.npy, labels: data/mnist/train-labels-idx1-ubyte.gz}\n").Message);
    }

    [Fact]
    public void An_unknown_layout_gets_a_suggestion() =>
        Assert.Equal(
            "plan.yaml:4:11: data.layout: unknown value 'nwhc' (did you mean 'nhwc'?); allowed: nchw, nhwc",
            workspace.Reject("name: t\nmodel: lenet\ndata:\n  layout: nwhc\n").Message);
}

/// <summary>Data read against the model when the job starts: any error is one plan error at the split's key, naming the file.</summary>
public sealed class PlanDataSetsTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.Empty();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void Data_whose_shape_the_model_cannot_take_is_an_error_at_the_split_naming_the_file()
    {
        string npz = Write("train.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[2 * 3 * 32 * 32], 2, 3, 32, 32)), ("labels", NpyBytes.Of(new byte[] { 0, 1 }, 2))));
        Write("test.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[784], 1, 28, 28)), ("labels", NpyBytes.Of(new byte[] { 0 }, 1))));
        var plan = workspace.Parse("name: t\nmodel: lenet\ndata:\n  train: train.npz\n  test: test.npz\n");

        var e = Assert.Throws<PlanException>(() => PlanDataSets.Open(plan, new DataSetCache()));

        Assert.Equal(
            $"plan.yaml:4:10: data.train: {npz}: array 'images': samples are 3x32x32, the model takes 1x28x28 (channels x height x width); allowed: samples of 1x28x28 (channels x height x width, what lenet takes) labelled 0-9; see docs/plan.md for the data forms",
            e.Message);
    }

    [Fact]
    public void A_label_outside_the_models_classes_in_the_test_split_is_an_error_at_its_key()
    {
        Write("train.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[784], 1, 28, 28)), ("labels", NpyBytes.Of(new byte[] { 0 }, 1))));
        string npz = Write("test.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[784], 1, 28, 28)), ("labels", NpyBytes.Of(new[] { 10 }, 1))));
        var plan = workspace.Parse("name: t\nmodel: mlp\ndata:\n  train: train.npz\n  test: test.npz\n");

        var e = Assert.Throws<PlanException>(() => PlanDataSets.Open(plan, new DataSetCache()));

        Assert.StartsWith($"plan.yaml:5:9: data.test: {npz}: array 'labels': label 10 at index 0 is outside the model's 10 classes (0-9);", e.Message);
    }

    private string Write(string name, byte[] contents)
    {
        string path = Path.Combine(workspace.Root, name);
        File.WriteAllBytes(path, contents);
        return path;
    }
}
