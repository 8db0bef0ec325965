using QuantCluster.Node;

namespace QuantCluster.Tests.Cluster;

/// <summary>Each test uses its own variable, so tests running in parallel never see each other's environment.</summary>
public sealed class OptionOrEnvironmentTests : IDisposable
{
    private readonly string _variable = $"QUANTCLUSTER_TEST_{Guid.NewGuid():N}";

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    [Fact]
    public void A_variable_that_is_not_a_number_is_an_error_naming_the_variable_and_its_value()
    {
        Environment.SetEnvironmentVariable(_variable, "two");

        var error = Assert.Throws<ArgumentException>(() => OptionOrEnvironment.GetInt(null, "--threads", _variable, atLeast: 1));

        Assert.Equal($"{_variable}: 'two' is not a whole number; give at least 1", error.Message);
    }

    [Fact]
    public void A_numeric_variable_gives_its_value()
    {
        Environment.SetEnvironmentVariable(_variable, "4");

        Assert.Equal(4, OptionOrEnvironment.GetInt(null, "--threads", _variable, atLeast: 1));
    }

    [Fact]
    public void An_unset_variable_gives_null()
    {
        Assert.Null(OptionOrEnvironment.GetInt(null, "--threads", _variable, atLeast: 1));
    }

    [Fact]
    public void The_command_line_value_wins_over_the_variable()
    {
        Environment.SetEnvironmentVariable(_variable, "two");

        Assert.Equal(3, OptionOrEnvironment.GetInt(3, "--threads", _variable, atLeast: 1));
    }

    [Fact]
    public void A_variable_below_the_bound_is_an_error_naming_the_variable()
    {
        Environment.SetEnvironmentVariable(_variable, "0");

        var error = Assert.Throws<ArgumentException>(() => OptionOrEnvironment.GetInt(null, "--threads", _variable, atLeast: 1));

        Assert.Equal($"{_variable}: 0; give at least 1", error.Message);
    }

    [Fact]
    public void A_command_line_value_below_the_bound_is_an_error_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => OptionOrEnvironment.GetInt(0, "--threads", _variable, atLeast: 1));

        Assert.Equal("--threads: 0; give at least 1", error.Message);
    }
}
