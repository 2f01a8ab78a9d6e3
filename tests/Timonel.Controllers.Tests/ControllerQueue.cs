namespace Timonel.Controllers.Tests;

/// <summary>What tests read of a controller's queue: the keys its handlers queued.</summary>
internal static class ControllerQueue
{
    /// <summary>Takes the next queued key and marks it done, as a worker would after syncing it.</summary>
    public static async Task<string> TakeAsync(this ControllerBase controller)
    {
        var (key, shutDown) = await controller.Queue.GetAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(shutDown);
        controller.Queue.Done(key);
        return key;
    }
}
