using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

/// <summary>Keeps every script it is given; fails the next one when told to.</summary>
internal sealed class RecordingNftables : INftables
{
    public List<string> Scripts { get; } = [];

    public bool FailNext { get; set; }

    public bool TableExists { get; set; }

    public Task RunAsync(string script, CancellationToken cancellationToken)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new NftablesException("nft -f: Error: Could not process rule: No such file or directory");
        }

        Scripts.Add(script);
        return Task.CompletedTask;
    }

    public Task<bool> TableExistsAsync(CancellationToken cancellationToken) => Task.FromResult(TableExists);
}
