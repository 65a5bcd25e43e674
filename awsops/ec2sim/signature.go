package ec2sim

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// signatureMismatch is AWS's answer to a request whose SigV4 signature it
// computed differently (a clock off, a proxy that changed a header, a wrong
// secret key). AWS quotes back the canonical request and the string to
// sign it computed, session token included, so an operator can compare
// them with the client's (aws/aws-cli#5341, aws/aws-sdk-js#2372).
func signatureMismatch(r *http.Request, body []byte) *apiError {
	auth := r.Header.Get("Authorization")
	canonical := canonicalRequest(r, body, authField(auth, "SignedHeaders"))
	scope := authField(auth, "Credential")
	if i := strings.IndexByte(scope, '/'); i >= 0 {
		scope = scope[i+1:]
	}
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + r.Header.Get("X-Amz-Date") + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	msg := "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
		"The Canonical String for this request should have been\n'" + canonical + "'\n\n" +
		"The String-to-Sign should have been\n'" + toSign + "'\n"
	msg += quotedAuthorization(auth)
	return &apiError{http.StatusForbidden, "SignatureDoesNotMatch", msg}
}

// quotedAuthorization is the signature the caller provided, as S3's
// SignatureDoesNotMatch answers carry it (AWSAccessKeyId, SignatureProvided).
// UNCONFIRMED for EC2, whose documented answer ends with the String-to-Sign:
// it is quoted here so that every credential a client sends (access key id,
// signature, session token) comes back in one answer, the worst case an
// app must redact.
func quotedAuthorization(auth string) string {
	if auth == "" {
		return ""
	}
	return "\nThe request was signed with '" + auth + "'\n"
}

// authField is one field (Credential, SignedHeaders, Signature) of a SigV4
// Authorization header.
func authField(auth, name string) string {
	i := strings.Index(auth, name+"=")
	if i < 0 {
		return ""
	}
	v := auth[i+len(name)+1:]
	if j := strings.IndexAny(v, ", "); j >= 0 {
		v = v[:j]
	}
	return v
}

// canonicalRequest is the SigV4 canonical request of r over the headers it
// signed: method, path, sorted query, the signed headers' lower-case names
// and trimmed values, their list, and the payload's hash.
func canonicalRequest(r *http.Request, body []byte, signed string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path + "\n")
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, sigEscape(k)+"="+sigEscape(v))
		}
	}
	b.WriteString(strings.Join(pairs, "&") + "\n")
	names := strings.Split(signed, ";")
	for _, name := range names {
		if name == "" {
			continue
		}
		v := strings.Join(r.Header.Values(name), ",")
		if name == "host" {
			v = r.Host
		}
		b.WriteString(name + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	b.WriteString("\n" + signed + "\n")
	hash := r.Header.Get("X-Amz-Content-Sha256")
	if hash == "" {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
	}
	b.WriteString(hash)
	return b.String()
}

// sigEscape is SigV4's URI encoding: every byte but unreserved ones, space as %20.
func sigEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
