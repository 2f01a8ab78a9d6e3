using Timonel.Agent.Kubelet.Containers.Environment;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class VariableExpansionTests
{
    private static readonly Func<string, string?> _lookup = VariableExpansion.LookupIn(new Dictionary<string, string> { ["NAME"] = "pelado", ["EMPTY"] = "" });

    [Theory]
    [InlineData("hello $(NAME)", "hello pelado")]
    [InlineData("$(NAME)$(NAME)", "peladopelado")]
    [InlineData("$$(NAME)", "$(NAME)")]
    [InlineData("$$$(NAME)", "$pelado")]
    [InlineData("$(MISSING) stays", "$(MISSING) stays")]
    [InlineData("[$(EMPTY)]", "[]")]
    [InlineData("unclosed $(NAME", "unclosed $(NAME")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("$NAME is not a reference", "$NAME is not a reference")]
    [InlineData("no references", "no references")]
    public void Expand_References_AsKubernetes(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, _lookup));

    [Fact]
    public void LookupIn_SeveralMaps_FirstWins()
    {
        var lookup = VariableExpansion.LookupIn(new Dictionary<string, string> { ["A"] = "declared" }, new Dictionary<string, string> { ["A"] = "service", ["B"] = "service" });

        Assert.Equal("declared service", VariableExpansion.Expand("$(A) $(B)", lookup));
    }
}
