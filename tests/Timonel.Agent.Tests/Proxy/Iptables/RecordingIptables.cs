using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Tests.Proxy.Iptables;

/// <summary>Keeps every restore and command it is given; answers saves with what it is told the kernel holds.</summary>
internal sealed class RecordingIptables : IIptables
{
    public List<string> Restores { get; } = [];

    public List<string> Commands { get; } = [];

    /// <summary>The nat table's save output.</summary>
    public string NatSave { get; set; } = "";

    /// <summary>The rules -C finds.</summary>
    public HashSet<string> ExistingRules { get; } = [];

    public Task RestoreAsync(string input, CancellationToken cancellationToken)
    {
        Restores.Add(input);
        return Task.CompletedTask;
    }

    public Task<string> SaveAsync(string table, CancellationToken cancellationToken) => Task.FromResult(table == "nat" ? NatSave : "");

    public Task<bool> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var command = string.Join(' ', arguments);
        Commands.Add(command);
        return Task.FromResult(!command.Contains(" -C ", StringComparison.Ordinal) || ExistingRules.Contains(command.Replace(" -C ", " ", StringComparison.Ordinal)));
    }
}
