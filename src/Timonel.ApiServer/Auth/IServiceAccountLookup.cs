namespace Timonel.ApiServer.Auth;

/// <summary>Finds the ServiceAccount a token names, so a token outlives neither its account nor a re-creation of it.</summary>
public interface IServiceAccountLookup
{
    /// <summary>The UID of the ServiceAccount <paramref name="ns"/>/<paramref name="name"/>, or null when there is none.</summary>
    Task<string?> FindUidAsync(string ns, string name, CancellationToken cancellationToken);
}
