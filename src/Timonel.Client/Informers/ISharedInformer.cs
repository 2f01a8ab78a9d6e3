namespace Timonel.Client.Informers;

/// <summary>An informer as its factory and controllers see it, whatever its kind.</summary>
public interface ISharedInformer : IAsyncDisposable
{
    /// <summary>Completes once the first list is in the cache (client-go's HasSynced).</summary>
    Task Synced { get; }

    /// <summary>Starts listing and watching; a second call does nothing.</summary>
    void Start();
}
