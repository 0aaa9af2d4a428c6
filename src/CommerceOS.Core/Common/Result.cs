namespace CommerceOS.Core.Common;

/// <summary>
/// How a use case ended. The web layer maps it to HTTP: <see cref="Success"/> 200 (or 201/204),
/// <see cref="Invalid"/> 400, <see cref="NotFound"/> 404, <see cref="Conflict"/> 409,
/// <see cref="Forbidden"/> 403. The CLI maps it to exit codes the same way.
/// </summary>
public enum ResultStatus
{
    Success = 0,

    /// <summary>The input broke a rule; <see cref="Result.Errors"/> says which field and why.</summary>
    Invalid = 1,

    /// <summary>
    /// The target does not exist <em>for the caller</em>: another workspace's row is reported
    /// exactly like a missing one, so IDs never leak across tenants.
    /// </summary>
    NotFound = 2,

    /// <summary>
    /// The input is well-formed but clashes with the current state: a taken SKU or name, or an
    /// edit based on a stale version ("someone else saved first").
    /// </summary>
    Conflict = 3,

    /// <summary>The caller's workspace role may not do this (e.g. a Viewer writing).</summary>
    Forbidden = 4,
}

/// <summary>
/// One user-facing problem, as a stable code the web layer localizes, never an English sentence.
/// </summary>
/// <param name="Field">
/// The input path the error belongs to, camelCase as in the JSON request (<c>sku</c>,
/// <c>variants[2].currency</c>); empty for errors about the whole request. CSV import reports use
/// the CSV column name instead.
/// </param>
/// <param name="Code">Stable, dotted, area-prefixed key, e.g. <c>catalog.sku_taken</c>; the EN and ZH texts live in
/// <c>src/CommerceOS.Web/Resources/{en,zh-CN}/&lt;Area&gt;.json</c>.</param>
/// <param name="Args">Values for the text's format items <c>{0}</c>, <c>{1}</c>, ... in order (limits, names).
/// Kept as invariant-formatted strings so the error serializes and compares predictably.</param>
public sealed record FieldError(string Field, string Code, IReadOnlyList<string> Args)
{
    public FieldError(string field, string code)
        : this(field, code, [])
    {
    }

    public static FieldError Of(string field, string code, params object[] args) =>
        new(field, code, args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());

    public bool Equals(FieldError? other) =>
        other is not null && Field == other.Field && Code == other.Code && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Field, Code, Args.Count);

    public override string ToString() => Args.Count == 0 ? $"{Field}: {Code}" : $"{Field}: {Code} ({string.Join(", ", Args)})";
}

/// <summary>Error codes shared by every area (texts in <c>Resources/*/Common.json</c>).</summary>
public static class CommonErrors
{
    public const string NotFound = "common.not_found";
    public const string Forbidden = "common.forbidden";
    public const string PageInvalid = "common.page_invalid";
    public const string PageSizeInvalid = "common.page_size_invalid";
}

/// <summary>
/// The outcome of a use case that returns no value (delete, reorder). Use cases never throw for
/// expected outcomes (bad input, missing row, stale edit, missing role): they return one of these.
/// Exceptions are for bugs and infrastructure failures only.
/// </summary>
/// <remarks>
/// <para>Create with the factories: <see cref="Ok()"/>, <see cref="Ok{T}(T)"/>, <see cref="Invalid(IReadOnlyList{FieldError})"/>,
/// <see cref="NotFound()"/>, <see cref="Conflict(string, string, object[])"/>, <see cref="Forbidden()"/>.
/// A failed <see cref="Result"/> converts implicitly to any <see cref="Result{T}"/>, so a handler
/// returning <c>Result&lt;Foo&gt;</c> can write <c>return Result.NotFound();</c>, and a value converts
/// implicitly to a successful <see cref="Result{T}"/> (<c>return foo;</c>).</para>
/// <para>Every failure carries at least one <see cref="FieldError"/>: <see cref="NotFound()"/> carries
/// <c>common.not_found</c>, <see cref="Forbidden()"/> <c>common.forbidden</c>, so a client can always
/// show <see cref="Errors"/>.</para>
/// </remarks>
public sealed class Result
{
    private static readonly Result SuccessInstance = new(ResultStatus.Success, []);

    internal Result(ResultStatus status, IReadOnlyList<FieldError> errors)
    {
        Status = status;
        Errors = errors;
    }

    public ResultStatus Status { get; }

    /// <summary>Empty on success; at least one entry otherwise.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsSuccess => Status == ResultStatus.Success;

    public static Result Ok() => SuccessInstance;

    /// <summary>A successful <see cref="Result{T}"/>; usually implicit (<c>return value;</c>).</summary>
    public static Result<T> Ok<T>(T value) => new(ResultStatus.Success, value, []);

    /// <summary>Input rejected; <paramref name="errors"/> must not be empty.</summary>
    public static Result Invalid(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("An invalid result needs at least one error.", nameof(errors));
        }

        return new Result(ResultStatus.Invalid, errors);
    }

    public static Result Invalid(string field, string code, params object[] args) => Invalid([FieldError.Of(field, code, args)]);

    public static Result NotFound() => new(ResultStatus.NotFound, [new FieldError("", CommonErrors.NotFound)]);

    public static Result Conflict(string field, string code, params object[] args) =>
        new(ResultStatus.Conflict, [FieldError.Of(field, code, args)]);

    /// <summary>Several clashes at once (e.g. two variant SKUs already used); <paramref name="errors"/> must not be empty.</summary>
    public static Result Conflict(IReadOnlyList<FieldError> errors) => errors.Count == 0
        ? throw new ArgumentException("A conflict needs at least one error.", nameof(errors))
        : new Result(ResultStatus.Conflict, errors);

    public static Result Forbidden() => new(ResultStatus.Forbidden, [new FieldError("", CommonErrors.Forbidden)]);

    public override string ToString() => IsSuccess ? "Success" : $"{Status}: {string.Join("; ", Errors)}";
}

/// <summary>
/// The outcome of a use case that returns a <typeparamref name="T"/> on success. See
/// <see cref="Result"/> for the conventions; <see cref="Value"/> is set only on success.
/// </summary>
public sealed class Result<T>
{
    private readonly T? _value;

    internal Result(ResultStatus status, T? value, IReadOnlyList<FieldError> errors)
    {
        Status = status;
        _value = value;
        Errors = errors;
    }

    public ResultStatus Status { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsSuccess => Status == ResultStatus.Success;

    /// <summary>The value; throws on a failed result (check <see cref="IsSuccess"/> first).</summary>
    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"No value: the result is {Status} ({string.Join("; ", Errors)}).");

    /// <summary>Drops the value, e.g. to pass a failure on from one use case to another.</summary>
    public Result WithoutValue() => IsSuccess ? Result.Ok() : new Result(Status, Errors);

#pragma warning disable CA2225 // The named alternatives are Result.Ok(value) and the Result factories.
    public static implicit operator Result<T>(T value) => Result.Ok(value);

    /// <summary>Carries a failed <see cref="Result"/> over; a success has no value to carry, so it throws.</summary>
    public static implicit operator Result<T>(Result failure) => failure.IsSuccess
        ? throw new InvalidOperationException("A successful Result has no value; use Result.Ok(value).")
        : new Result<T>(failure.Status, default, failure.Errors);
#pragma warning restore CA2225

    public override string ToString() => IsSuccess ? $"Success: {_value}" : $"{Status}: {string.Join("; ", Errors)}";
}
