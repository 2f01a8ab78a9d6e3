using System.Diagnostics;
using System.Security.Cryptography;

namespace Timonel.IntegrationTests;

/// <summary><c>timonel agent --cleanup</c> run for real, inside a network namespace of the test's own (root only): both proxy modes' rules go, nothing else.</summary>
public sealed class AgentCleanupTests
{
    [SkippableFact]
    public async Task Cleanup_RemovesBothModesRulesAndNothingElse()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "network namespaces need root");
        Skip.IfNot(Timonel.Agent.Proxy.NftCommand.Available(), "nft is not installed or the kernel has no nftables");
        Skip.If(!File.Exists("/usr/sbin/iptables-nft"), "iptables-nft is not installed");
        var ns = "tmnc-" + RandomNumberGenerator.GetHexString(6, lowercase: true);
        await RunAsync("ip", "netns", "add", ns);
        try
        {
            await RunAsync("ip", "netns", "exec", ns, "nft", "add table ip timonel; add chain ip timonel services; add table ip other; add chain ip other keep");
            // What the iptables mode leaves: its own chain, a jump to it, and a user's chain beside them.
            await RunAsync("ip", "netns", "exec", ns, "iptables-nft", "-t", "nat", "-N", "TIMONEL-SERVICES");
            await RunAsync("ip", "netns", "exec", ns, "iptables-nft", "-t", "nat", "-A", "PREROUTING", "-j", "TIMONEL-SERVICES");
            await RunAsync("ip", "netns", "exec", ns, "iptables-nft", "-t", "nat", "-N", "USER-KEEP");

            var first = await RunAsync("ip", "netns", "exec", ns, Path.Combine(ServerProcess.RepoRoot!, "timonel"), "agent", "--cleanup");
            var second = await RunAsync("ip", "netns", "exec", ns, Path.Combine(ServerProcess.RepoRoot!, "timonel"), "agent", "--cleanup");
            var ruleset = await RunAsync("ip", "netns", "exec", ns, "nft", "list", "ruleset");

            Assert.Equal("removed nftables table ip timonel\nremoved iptables-nft chains TIMONEL-* and the jumps to them", first.Trim());
            Assert.Equal("nothing to clean up: no nftables table ip timonel, no iptables chains TIMONEL-*", second.Trim());
            Assert.DoesNotContain("timonel", ruleset, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("table ip other", ruleset, StringComparison.Ordinal);
            Assert.Contains("USER-KEEP", ruleset, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("ip", "netns", "del", ns);
        }
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {error}");
        return await output;
    }
}
