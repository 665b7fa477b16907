// SPDX-License-Identifier: MIT
/*
 * Formatting and number parsing for both OS layers: a C99-compatible
 * snprintf subset and a strict unsigned-integer parser. The same file is
 * built hosted and freestanding, so it uses nothing from the C library.
 *
 * Theory of operation: os_vsnprintf() walks the format once. Every output
 * byte goes through fmt_put(), which counts it and stores it only while
 * there is room for it and the terminating NUL, so truncation never needs a
 * second pass and the return value is always the length the full output
 * would have had (C99 7.19.6.5). Integer conversions render their digits
 * right-to-left into a small stack buffer, then emit sign/prefix, zero
 * padding from precision or the '0' flag, and space padding from the width,
 * in the order C99 7.19.6.1 describes.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%; length modifiers hh h l ll z j
 * t; flags - 0 + space #; width and precision, both also as '*'. %p prints
 * like glibc: 0x<hex>, "(nil)" for NULL. A NULL %s prints "(null)". An
 * unknown conversion is copied to the output as written.
 */
#include <vscmi/os.h>


/* Where output goes: @buf holds at most @size - 1 bytes plus a NUL. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* bytes the full output has so far (may exceed size) */
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->size && o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

/* @n copies of @c; a huge width costs no more than the room left. */
static void fmt_repeat(struct fmt_out *o, char c, size_t n)
{
	size_t room = o->size && o->len < o->size - 1 ? o->size - 1 - o->len : 0;

	for (size_t i = 0; i < n && i < room; i++)
		o->buf[o->len + i] = c;
	o->len += n;
}

static void fmt_bytes(struct fmt_out *o, const char *s, size_t n)
{
	while (n--)
		fmt_put(o, *s++);
}

enum {
	FMT_LEFT = 1 << 0,	/* '-': pad on the right */
	FMT_ZERO = 1 << 1,	/* '0': pad numbers with zeros */
	FMT_PLUS = 1 << 2,	/* '+': sign always */
	FMT_SPACE = 1 << 3,	/* ' ': space where a '+' would go */
	FMT_ALT = 1 << 4,	/* '#': 0 / 0x prefix */
	FMT_UPPER = 1 << 5,	/* %X */
};

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned flags;
	size_t width;
	int precision;		/* -1: not given */
};

/* Enough for 64 bits in octal (22 digits). */
#define FMT_DIGITS_MAX 24

/*
 * Emit an integer: @neg says it was negative, @u is its magnitude.
 * @base is 8, 10 or 16.
 */
static void fmt_integer(struct fmt_out *o, const struct fmt_spec *sp,
			unsigned long long u, bool neg, unsigned base)
{
	const char *digits = (sp->flags & FMT_UPPER) ? "0123456789ABCDEF"
						     : "0123456789abcdef";
	char tmp[FMT_DIGITS_MAX];
	size_t ndig = 0, nzero = 0, total, prefix_len = 0;
	const char *prefix = "";
	char sign = 0;

	/* Precision 0 with value 0 prints no digits at all (C99). */
	if (!(u == 0 && sp->precision == 0)) {
		do {
			tmp[ndig++] = digits[u % base];
			u /= base;
		} while (u);
	}

	if (neg)
		sign = '-';
	else if (base == 10 && (sp->flags & FMT_PLUS))
		sign = '+';	/* callers clear it for %u */
	else if (base == 10 && (sp->flags & FMT_SPACE))
		sign = ' ';

	if (sp->precision >= 0 && (size_t)sp->precision > ndig)
		nzero = (size_t)sp->precision - ndig;

	if (sp->flags & FMT_ALT) {
		if (base == 8 && nzero == 0 &&
		    (ndig == 0 || tmp[ndig - 1] != '0'))
			nzero = 1;	/* '#o' forces a leading zero */
		else if (base == 16 && ndig && !(ndig == 1 && tmp[0] == '0')) {
			prefix = (sp->flags & FMT_UPPER) ? "0X" : "0x";
			prefix_len = 2;
		}
	}

	total = (sign ? 1 : 0) + prefix_len + nzero + ndig;
	/* '0' pads with zeros unless '-' or a precision is given. */
	if (total < sp->width && (sp->flags & FMT_ZERO) &&
	    !(sp->flags & FMT_LEFT) && sp->precision < 0) {
		nzero += sp->width - total;
		total = sp->width;
	}
	if (total < sp->width && !(sp->flags & FMT_LEFT))
		fmt_repeat(o, ' ', sp->width - total);
	if (sign)
		fmt_put(o, sign);
	fmt_bytes(o, prefix, prefix_len);
	fmt_repeat(o, '0', nzero);
	while (ndig)
		fmt_put(o, tmp[--ndig]);
	if (total < sp->width && (sp->flags & FMT_LEFT))
		fmt_repeat(o, ' ', sp->width - total);
}

/* Emit @n bytes of @s padded to the width (strings, chars, "(nil)"). */
static void fmt_padded(struct fmt_out *o, const struct fmt_spec *sp,
		       const char *s, size_t n)
{
	if (n < sp->width && !(sp->flags & FMT_LEFT))
		fmt_repeat(o, ' ', sp->width - n);
	fmt_bytes(o, s, n);
	if (n < sp->width && (sp->flags & FMT_LEFT))
		fmt_repeat(o, ' ', sp->width - n);
}

/* strnlen without the C library: never reads past @max bytes. */
static size_t fmt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

static long long fmt_arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return (long long)va_arg(*ap, size_t);
	case LEN_J: return (long long)va_arg(*ap, intmax_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long fmt_arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_J: return (unsigned long long)va_arg(*ap, uintmax_t);
	case LEN_T: return (unsigned long long)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Parse the decimal digits at *@pp (width or precision), saturating. */
static size_t fmt_number(const char **pp)
{
	const char *p = *pp;
	size_t v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v < (size_t)__INT_MAX__)
			v = v * 10 + (size_t)(*p - '0');
		p++;
	}
	*pp = p;
	return v > (size_t)__INT_MAX__ ? (size_t)__INT_MAX__ : v;
}

int os_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct fmt_out o = { .buf = buf, .size = buf ? size : 0, .len = 0 };
	const char *p = fmt;
	va_list ap;

	/* A va_list may be an array type; a copy lets helpers take &ap. */
	va_copy(ap, ap_in);
	while (*p) {
		struct fmt_spec sp = { .flags = 0, .width = 0, .precision = -1 };
		enum fmt_len len = LEN_NONE;
		const char *start = p;

		if (*p != '%') {
			fmt_put(&o, *p++);
			continue;
		}
		p++;

		for (;; p++) {
			if (*p == '-')
				sp.flags |= FMT_LEFT;
			else if (*p == '0')
				sp.flags |= FMT_ZERO;
			else if (*p == '+')
				sp.flags |= FMT_PLUS;
			else if (*p == ' ')
				sp.flags |= FMT_SPACE;
			else if (*p == '#')
				sp.flags |= FMT_ALT;
			else
				break;
		}

		if (*p == '*') {
			int w = va_arg(ap, int);

			p++;
			if (w < 0) {
				sp.flags |= FMT_LEFT;
				/* -INT_MIN does not fit an int; go unsigned. */
				sp.width = (size_t)(-(long long)w);
			} else {
				sp.width = (size_t)w;
			}
		} else {
			sp.width = fmt_number(&p);
		}

		if (*p == '.') {
			p++;
			if (*p == '*') {
				int prec = va_arg(ap, int);

				p++;
				sp.precision = prec < 0 ? -1 : prec;
			} else {
				sp.precision = (int)fmt_number(&p);
			}
		}

		switch (*p) {
		case 'h':
			len = LEN_H;
			if (*++p == 'h') {
				len = LEN_HH;
				p++;
			}
			break;
		case 'l':
			len = LEN_L;
			if (*++p == 'l') {
				len = LEN_LL;
				p++;
			}
			break;
		case 'z': len = LEN_Z; p++; break;
		case 'j': len = LEN_J; p++; break;
		case 't': len = LEN_T; p++; break;
		default: break;
		}

		switch (*p) {
		case 'd':
		case 'i': {
			long long v = fmt_arg_signed(&ap, len);
			/* Negate in unsigned arithmetic: LLONG_MIN has no
			 * positive long long. */
			unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
						     : (unsigned long long)v;

			fmt_integer(&o, &sp, u, v < 0, 10);
			break;
		}
		case 'u':
			/* '+' and ' ' apply to signed conversions only. */
			sp.flags &= ~(unsigned)(FMT_PLUS | FMT_SPACE);
			fmt_integer(&o, &sp, fmt_arg_unsigned(&ap, len), false, 10);
			break;
		case 'o':
			fmt_integer(&o, &sp, fmt_arg_unsigned(&ap, len), false, 8);
			break;
		case 'X':
			sp.flags |= FMT_UPPER;
			/* fall through */
		case 'x':
			fmt_integer(&o, &sp, fmt_arg_unsigned(&ap, len), false, 16);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			fmt_padded(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t max = sp.precision >= 0 ? (size_t)sp.precision
						       : SIZE_MAX;

			if (!s)
				s = "(null)";
			fmt_padded(&o, &sp, s, fmt_strnlen(s, max));
			break;
		}
		case 'p': {
			void *ptr = va_arg(ap, void *);

			if (!ptr) {
				sp.precision = -1;
				fmt_padded(&o, &sp, "(nil)", 5);
				break;
			}
			sp.flags |= FMT_ALT;
			fmt_integer(&o, &sp, (unsigned long long)(uintptr_t)ptr,
				    false, 16);
			break;
		}
		case '%':
			fmt_put(&o, '%');
			break;
		default:
			/* Unknown or truncated spec: show it as written. */
			if (!*p) {
				fmt_bytes(&o, start, (size_t)(p - start));
				continue;
			}
			fmt_bytes(&o, start, (size_t)(p - start) + 1);
			break;
		}
		p++;
	}
	va_end(ap);

	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	if (o.len > (size_t)__INT_MAX__)
		return -EOVERFLOW;
	return (int)o.len;
}

int os_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = os_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Value of digit @c in bases up to 36, or 36 if it is not a digit. */
static unsigned parse_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a') + 10;
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A') + 10;
	return 36;
}

int os_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	bool overflow = false;

	if (!s || base == 1 || base > 36)
		return -EINVAL;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = 10;
	}
	if (!*s)
		return -EINVAL;

	/* Scan to the end even after an overflow: junk wins over range. */
	for (; *s; s++) {
		unsigned d = parse_digit(*s);

		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		else
			v = v * base + d;
	}
	if (overflow || v > max)
		return -ERANGE;
	if (out)
		*out = v;
	return 0;
}
