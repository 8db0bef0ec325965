namespace QuantCluster.Tests.Plans;

public sealed class PlanLoaderErrorTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void Yaml_syntax_error_reports_the_parser_location()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  workers: 2\n   epochs: 2\n");

        Assert.StartsWith("plan.yaml:5:10: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("qat.workers: YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.Contains("fix the YAML syntax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_used_as_indentation_is_located_on_its_own_line()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nfp32:\n\tepochs: 1\n");

        Assert.Equal("plan.yaml:4:1: (indentation): YAML syntax error: a tab indents this line, and YAML indents with spaces only; replace the tab with spaces", error.Message);
    }

    [Fact]
    public void Yaml_error_the_parser_cannot_locate_is_still_located()
    {
        // YamlDotNet throws InvalidOperationException, not YamlException, on this unclosed flow list.
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  workers: [1\n  epochs: 2\n");

        Assert.StartsWith("plan.yaml:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains("qat.workers", error.Message, StringComparison.Ordinal);
        Assert.Contains("fix the YAML syntax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_suggests_the_closest_known_key()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  worker: 4\n");

        Assert.Equal(
            "plan.yaml:4:3: qat.worker: unknown key 'worker' (did you mean 'workers'?); allowed keys: epochs, optimizer, "
            + "learning_rate, workers, global_batch_size, freeze_observers_after, freeze_bn_after, device, threads_per_worker, gradient_exchange",
            error.Message);
    }

    [Fact]
    public void Unknown_key_far_from_every_known_key_gets_no_suggestion()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\ncolour: blue\n");

        Assert.StartsWith("plan.yaml:3:1: colour: unknown key 'colour'; allowed keys: name, seed,", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_says_what_was_expected_and_what_was_found()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  workers: two\n");

        Assert.Equal("plan.yaml:4:12: qat.workers: expected an integer, found 'two'; allowed: integers from 1 to 256", error.Message);
    }

    [Fact]
    public void Section_that_is_not_a_mapping_is_a_wrong_type()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nfp32: 3\n");

        Assert.StartsWith("plan.yaml:3:7: fp32: expected a mapping of keys, found '3'; allowed keys: epochs,", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qat:\n  workers: 0\n", "plan.yaml:4:12: qat.workers: 0 is out of range; allowed: integers from 1 to 256")]
    [InlineData("tolerance: 101\n", "plan.yaml:3:12: tolerance: 101 is out of range; allowed: numbers >= 0 and <= 100")]
    [InlineData("fp32:\n  learning_rate: 0\n", "plan.yaml:4:18: fp32.learning_rate: 0 is out of range; allowed: numbers > 0 and <= 10")]
    [InlineData("data:\n  calibration_samples: 99999999999\n", "plan.yaml:4:24: data.calibration_samples: 99999999999 is out of range; allowed: integers from 1 to 1000000")]
    public void Value_out_of_range_names_the_range(string section, string expected)
    {
        var error = workspace.Reject("name: t\nmodel: lenet\n" + section);

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_allowed_values()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nmode: qta\n");

        Assert.Equal("plan.yaml:3:7: mode: unknown value 'qta' (did you mean 'qat'?); allowed: ptq, qat, auto", error.Message);
    }

    [Theory]
    [InlineData("fp32:\n  optimizer: adamw\n", "plan.yaml:4:14: fp32.optimizer: unknown value 'adamw' (did you mean 'adam'?); allowed: adam, sgd")]
    [InlineData("qat:\n  optimizer: sgdm\n", "plan.yaml:4:14: qat.optimizer: unknown value 'sgdm' (did you mean 'sgd'?); allowed: adam, sgd")]
    public void Unknown_optimizer_is_refused_not_taken_for_adam(string section, string expected)
    {
        var error = workspace.Reject("name: t\nmodel: lenet\n" + section);

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Unknown_device_lists_the_allowed_spellings()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  device: gpu\n");

        Assert.Equal(
            "plan.yaml:4:11: qat.device: unknown device 'gpu' (did you mean 'cpu'?); allowed: cpu, cuda, cuda:N (N = 0, 1, ...), auto",
            error.Message);
    }

    [Fact]
    public void Missing_required_key_points_at_the_mapping_that_lacks_it()
    {
        var error = workspace.Reject("# a plan\nname: t\n");

        Assert.Equal("plan.yaml:2:1: model: missing required key 'model'; allowed: mlp, mlp-wide, lenet, mobilenet-tiny", error.Message);
    }

    [Fact]
    public void Missing_weights_file_names_the_path_it_looked_for()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nweights: runs/old/model.fp32.ckpt\n");

        var looked = Path.Combine(workspace.Root, "runs/old/model.fp32.ckpt");
        Assert.Equal(
            $"plan.yaml:3:10: weights: file 'runs/old/model.fp32.ckpt' does not exist (looked for {looked}); "
            + $"allowed: a path to an existing FP32 checkpoint (model.fp32.ckpt); relative paths are resolved against {workspace.Root}",
            error.Message);
    }

    [Fact]
    public void Missing_data_file_names_the_data_key()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\ndata:\n  test_labels: elsewhere/labels.gz\n");

        Assert.StartsWith("plan.yaml:4:16: data.test_labels: file 'elsewhere/labels.gz' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed: a path to an existing data file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_given_as_a_data_file_is_called_a_folder_not_missing()
    {
        Directory.CreateDirectory(Path.Combine(workspace.Root, "a-folder"));

        var error = workspace.Reject("name: t\nmodel: lenet\ndata:\n  test_labels: a-folder\n");

        Assert.StartsWith("plan.yaml:4:16: data.test_labels: 'a-folder' is a folder, not a file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_default_data_file_says_where_it_searched()
    {
        using var empty = PlanWorkspace.Empty();

        var error = Assert.Throws<Coordinator.Plans.PlanException>(() => empty.Parse("name: t\nmodel: lenet\n"));

        Assert.StartsWith(
            $"plan.yaml:1:1: data.train_images: default data file 'data/mnist/train-images-idx3-ubyte.gz' not found in {empty.Root} or any parent folder; allowed: set data.train_images",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_mistakes_are_reported_before_missing_data()
    {
        using var empty = PlanWorkspace.Empty();

        var error = Assert.Throws<Coordinator.Plans.PlanException>(() => empty.Parse("name: t\nmodel: lenet\nqat:\n  workers: two\n"));

        Assert.StartsWith("plan.yaml:4:12: qat.workers: expected an integer, found 'two'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_required_key_is_reported_as_having_no_value()
    {
        var error = workspace.Reject("name:\nmodel: lenet\n");

        Assert.StartsWith("plan.yaml:1:1: name: required key 'name' has no value; allowed: letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_names_both_places()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  workers: 2\n  epochs: 1\n  workers: 4\n");

        Assert.Equal(
            "plan.yaml:6:3: qat.workers: duplicate key 'workers' (first given at line 4, column 3); each key may appear once per mapping; keep one of them",
            error.Message);
    }

    [Fact]
    public void Root_that_is_not_a_mapping_is_rejected()
    {
        var error = workspace.Reject("- name: t\n- model: lenet\n");

        Assert.Equal("plan.yaml:1:1: (root): expected a mapping, found a list; a mapping of keys at the root, at least 'name' and 'model'", error.Message);
    }

    [Fact]
    public void Empty_plan_is_rejected()
    {
        var error = workspace.Reject("# nothing yet\n");

        Assert.Equal("plan.yaml:1:1: (root): the plan is empty; a mapping of keys at the root, at least 'name' and 'model'", error.Message);
    }

    [Fact]
    public void Global_batch_smaller_than_workers_is_rejected()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nqat:\n  workers: 8\n  global_batch_size: 4\n");

        Assert.Equal(
            "plan.yaml:5:22: qat.global_batch_size: global_batch_size 4 is smaller than workers 8, so some workers would get no samples; allowed: global_batch_size >= workers",
            error.Message);
    }

    [Fact]
    public void Name_unfit_for_a_folder_is_rejected()
    {
        var error = workspace.Reject("name: ../escape\nmodel: lenet\n");

        Assert.StartsWith("plan.yaml:1:7: name: '../escape' is not a valid name", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed: letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loaded_file_errors_name_the_path_as_given()
    {
        var path = workspace.Touch("plans/bad.yaml");
        File.WriteAllText(path, "name: t\nmodel: lenet\nmode: everything\n");

        var error = Assert.Throws<Coordinator.Plans.PlanException>(() => Coordinator.Plans.PlanLoader.Load(path, null));

        Assert.StartsWith($"{path}:3:7: mode: unknown value 'everything'; allowed: ptq, qat, auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_plan_file_is_reported_without_a_line()
    {
        var path = Path.Combine(workspace.Root, "nope.yaml");

        var error = Assert.Throws<Coordinator.Plans.PlanException>(() => Coordinator.Plans.PlanLoader.Load(path, null));

        Assert.StartsWith($"{path}: plan file does not exist", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Location);
    }
}
