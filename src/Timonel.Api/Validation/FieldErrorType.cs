namespace Timonel.Api.Validation;

/// <summary>
/// Why a field is invalid; one value per apimachinery field.ErrorType
/// (pkg/util/validation/field/errors.go). <see cref="FieldErrorTypeExtensions"/> gives the wire reason
/// (a metav1 CauseType such as <c>FieldValueInvalid</c>) and the human text (<c>Invalid value</c>).
/// </summary>
public enum FieldErrorType
{
    /// <summary>A value that was looked up was not found.</summary>
    NotFound,

    /// <summary>A required value is missing.</summary>
    Required,

    /// <summary>A value that must be unique is not.</summary>
    Duplicate,

    /// <summary>A malformed value.</summary>
    Invalid,

    /// <summary>A value outside an enumerated set.</summary>
    NotSupported,

    /// <summary>A well-formed value that is not allowed here.</summary>
    Forbidden,

    /// <summary>A value that is too long; the value itself is not shown.</summary>
    TooLong,

    /// <summary>A list with too many items.</summary>
    TooMany,

    /// <summary>A failure not caused by user input.</summary>
    Internal,

    /// <summary>A value of the wrong type for its schema.</summary>
    TypeInvalid,
}
