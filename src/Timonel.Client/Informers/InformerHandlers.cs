namespace Timonel.Client.Informers;

/// <summary>
/// What a controller is told as an informer's cache changes (client-go's ResourceEventHandlerFuncs). Handlers run on
/// the informer's loop, one event at a time: they should only queue keys. Objects are the cache's own: read-only.
/// </summary>
public sealed record InformerHandlers<T>(Action<T>? OnAdd = null, Action<T, T>? OnUpdate = null, Action<T>? OnDelete = null);
