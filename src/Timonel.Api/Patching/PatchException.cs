namespace Timonel.Api.Patching;

/// <summary>
/// A patch that cannot be applied; the message is the upstream library's (evanphx/json-patch for JSON and merge
/// patches, apimachinery's strategicpatch for strategic merge patches). The API server answers 422 for these
/// (400 when the patch body itself is malformed: see <see cref="IsMalformedPatch"/>).
/// </summary>
public sealed class PatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PatchException(string message, bool isMalformedPatch = false)
        : base(message) => IsMalformedPatch = isMalformedPatch;

    /// <summary>True when the patch document itself is not of the expected shape (a bad request rather than a failed apply).</summary>
    public bool IsMalformedPatch { get; }
}
