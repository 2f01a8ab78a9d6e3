namespace Timonel.Client.Informers;

/// <summary>
/// The values an object is indexed under in one of an informer cache's indexes (client-go's cache.IndexFunc): none
/// to leave it out, several to find it by each. It must depend only on the object, and must not throw.
/// </summary>
public delegate IReadOnlyList<string> IndexFunc<in T>(T obj);
