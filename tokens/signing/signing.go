// Package signing holds the ES256 keys of the token services (ACR's and the emulated Entra's): generation,
// storage in the metadata store, JWKS form, signing and verification.
package signing

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/acremu/acremu/storage"
)

// Signer holds an ES256 key pair and its key id.
type Signer struct {
	Key *ecdsa.PrivateKey
	KID string
}

// LoadOrCreateSigner returns the ES256 key stored under name, generating and storing one on first use.
func LoadOrCreateSigner(db *storage.DB, name string) (*Signer, error) {
	var s *Signer
	err := db.Update(func(tx *storage.Tx) error {
		if data := tx.Key(name); len(data) > 0 {
			k, err := parseKey(data)
			if err != nil {
				return fmt.Errorf("stored key %s: %w", name, err)
			}
			s = newSigner(k)
			return nil
		}
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return fmt.Errorf("generate key %s: %w", name, err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return err
		}
		s = newSigner(k)
		return tx.PutKey(name, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	})
	return s, err
}

func parseKey(data []byte) (*ecdsa.PrivateKey, error) {
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, errors.New("not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an ECDSA key")
	}
	return ek, nil
}

func newSigner(k *ecdsa.PrivateKey) *Signer {
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	sum := sha256.Sum256(der)
	return &Signer{Key: k, KID: base64.RawURLEncoding.EncodeToString(sum[:16])}
}

// JWK is one public key in a JSON Web Key Set.
type JWK struct {
	KTY string `json:"kty"`
	Use string `json:"use"`
	KID string `json:"kid"`
	Alg string `json:"alg"`
	CRV string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// JWK returns the signer's public key as a JWK.
func (s *Signer) JWK() JWK {
	pad := func(b *big.Int) string {
		buf := make([]byte, 32)
		return base64.RawURLEncoding.EncodeToString(b.FillBytes(buf))
	}
	return JWK{KTY: "EC", Use: "sig", KID: s.KID, Alg: "ES256", CRV: "P-256", X: pad(s.Key.X), Y: pad(s.Key.Y)}
}

// Sign serialises claims as an ES256 JWT with the signer's key id.
func (s *Signer) Sign(c jwt.Claims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	t.Header["kid"] = s.KID
	out, err := t.SignedString(s.Key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return out, nil
}

// Verify parses raw into c, accepting only ES256 under this signer's key id, and applies the given
// validations (issuer, audience, leeway...) at time now. Expiry is always required.
func (s *Signer) Verify(raw string, c jwt.Claims, now time.Time, opts ...jwt.ParserOption) error {
	opts = append(opts, jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithExpirationRequired())
	_, err := jwt.ParseWithClaims(raw, c, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != s.KID {
			return nil, fmt.Errorf("unknown key id %q", kid)
		}
		return &s.Key.PublicKey, nil
	}, opts...)
	return err
}
