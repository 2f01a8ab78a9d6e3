using Timonel.Agent.Teardown;

namespace Timonel.IntegrationTests.Node;

/// <summary>After a test's node agent: what it left on the machine, its image registry and its data folder.</summary>
public static class RealNodeCleanup
{
    /// <summary>
    /// Containers outlive their agent, as upstream's do (K3s has k3s-killall.sh for this): stops what a stopped agent
    /// with its data under <paramref name="dataDir"/> left, so the next run starts clean, then stops the test's image
    /// registry and deletes the folder.
    /// </summary>
    public static async Task AfterAgentAsync(string dataDir, TestImageRegistry? registry)
    {
        NodeTeardown.KillContainers(RealNodePrerequisites.RunDir);
        NodeTeardown.DeleteEmptyPodNetworks();
        NodeTeardown.Unmount(RealNodePrerequisites.RunDir);
        NodeTeardown.Unmount(dataDir);
        await NodeTeardown.RemoveServiceRulesAsync();
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Not there, or left behind: a mount the runtime still holds.
        }
    }
}
