//! Flitt's response and error codes.

use std::fmt;

macro_rules! error_codes {
    ($($code:literal => $variant:ident, $text:literal;)+) => {
        /// A Flitt code: the `error_code` of a request error or the `response_code` of a
        /// declined order (both use the same number space; 1000 "General decline" is a decline).
        ///
        /// Codes this version does not know are kept in [`ErrorCode::Unknown`].
        ///
        /// ```
        /// use flitt_client::ErrorCode;
        /// assert_eq!(ErrorCode::from(1018), ErrorCode::OrderNotFound);
        /// assert_eq!(ErrorCode::OrderNotFound.code(), 1018);
        /// assert_eq!(ErrorCode::from(4321), ErrorCode::Unknown(4321));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", stringify!($code), "` — ", $text, ".")]
                $variant,
            )+
            /// A code this version does not know, kept as received.
            Unknown(u32),
        }

        impl ErrorCode {
            /// The numeric code.
            pub fn code(&self) -> u32 {
                match self {
                    $(ErrorCode::$variant => $code,)+
                    ErrorCode::Unknown(code) => *code,
                }
            }

            /// Flitt's documented description (placeholders such as the order id omitted), or
            /// `None` for an unknown code.
            pub fn description(&self) -> Option<&'static str> {
                match self {
                    $(ErrorCode::$variant => Some($text),)+
                    ErrorCode::Unknown(_) => None,
                }
            }
        }

        impl From<u32> for ErrorCode {
            fn from(code: u32) -> Self {
                match code {
                    $($code => ErrorCode::$variant,)+
                    other => ErrorCode::Unknown(other),
                }
            }
        }
    };
}

error_codes! {
    1000 => GeneralDecline, "General decline";
    1002 => ApplicationError, "Application error";
    1003 => InvalidCvv2, "Invalid CVV2 code";
    1004 => DoNotHonor, "Do not honor";
    1005 => InvalidFormat, "Invalid format";
    1006 => MerchantMisconfigured, "Merchant is not configured correctly";
    1007 => ParameterIncorrect, "Parameter is incorrect";
    1008 => ParameterMandatory, "Parameter is mandatory";
    1009 => ParameterEmpty, "Parameter is empty";
    1010 => RequestEmpty, "Request is empty";
    1011 => ParameterMissing, "Parameter is missing";
    1012 => CurrencyNotAvailable, "Currency is not available for this merchant";
    1013 => DuplicateOrder, "Duplicate order for this merchant";
    1014 => InvalidSignature, "Invalid signature";
    1015 => InvalidCardNumber, "Invalid card number";
    1016 => MerchantNotFound, "Merchant not found";
    1017 => NoPaymentSystems, "No available payment systems";
    1018 => OrderNotFound, "Order not found";
    1019 => OrderAlreadyCompleted, "Order already has been completed";
    1021 => UnsupportedContentType, "Unsupported Content-Type";
    1023 => InvalidAmount, "Invalid amount";
    1024 => ThreeDsAuthenticationFailed, "3DSecure authentication failed";
    1025 => InvalidCardExpiry, "Invalid card expiry date";
    1026 => OnlyRedirectAllowed, "Only redirect method allowed";
    1027 => PreauthNotAllowed, "Preauth not allowed";
    1028 => CustomDesignNotFound, "Custom design not found";
    1034 => SeparatorInParameters, "Please do not use the separator symbol in parameters";
    1035 => TokenNotFound, "Token not found";
    1036 => InvoicePaid, "Invoice is paid";
    1037 => InsufficientFunds, "Decline, not sufficient funds";
    1040 => AmountExceedsInternetLimit, "Transaction amount exceeds card internet limit";
    1041 => CardBlacklisted, "Card is in black list";
    1042 => StolenCard, "Stolen card";
    1043 => RestrictedCard, "Restricted Card";
    1044 => LostCard, "Lost card";
    1045 => BlockedByAcquirer, "Card is blocked by acquirer bank";
    1046 => NonUtf8Symbol, "Request contains non utf-8 symbol";
    1047 => WithdrawalFrequencyExceeded, "Card exceeds withdrawal frequency limit";
    1048 => WithdrawalAmountExceeded, "Card exceeds withdrawal amount limit";
    1049 => UnknownPaymentSystemError, "Unknown payment system error";
    1051 => AntifraudDecline, "Declined by antifraud";
    1052 => OrderExpired, "Order has expired";
    1053 => ThreeDsUnavailable, "3DSecure card verification failed. Directory server or issuer not available";
    1054 => SessionExpired, "Session expired";
    1055 => P2pLimitExceeded, "P2P limit exceeded";
    1057 => SenderCardDeclined, "Sender card declined by issuer";
    1058 => ReceiverCardDeclined, "Receiver card declined by issuer";
    1059 => RectokenNotAllowed, "Transaction with rectoken not allowed for merchant";
    1060 => RecurringNotAllowed, "Recurring transaction not allowed for merchant";
    1061 => PinTriesExceeded, "PIN tries exceeded";
    1062 => NotPermittedToMerchant, "Not permitted to merchant";
    1063 => NotPermittedToClient, "Not permitted to client";
    1064 => CallYourBank, "Call your bank";
    1065 => InvalidTransaction, "Invalid transaction";
    1066 => SystemMalfunction, "System malfunction";
    1067 => IncorrectPin, "Incorrect PIN";
    1068 => FormatError, "Format error";
    1069 => ReverseNotAllowedTurnover, "Reverse not allowed. Turnover is not enough";
    1070 => RoutedToAnotherTerminal, "Transaction is routed to another terminal";
    1072 => RecurringChainDeclined, "Recurring chain declined";
    1073 => ThreeDsMandatoryForMaestro, "3DSecure is mandatory for Maestro cards";
    1074 => P2pCreditOnlyByRectoken, "P2P credit allowed only by rectoken";
    1075 => ThreeDsMandatory, "3DSecure is mandatory";
    1076 => InvalidIban, "Invalid IBAN";
    1077 => MerchantNotActivated, "Merchant is not activated yet. Only test IBAN allowed";
    1078 => TokenDeactivatedByBank, "Token deactivated by bank";
    1079 => BlockedByIssuer, "Card is blocked by issuing bank";
    1080 => ReceivingCardCountExceeded, "Decline, exceeds receiving card count limit";
    1081 => InsufficientBalanceForP2p, "Insufficient funds on balance (p2p credit)";
    1082 => TokenExpired, "Token has expired";
    1083 => ReceivingCardAmountExceeded, "Decline, exceeds receiving card amount limit";
    1084 => OnlyFullRefundAllowed, "Only full refund allowed";
    1086 => TransactionAlreadyFinished, "Transaction already finished";
    1087 => TerminalClosed, "Terminal closed by acquiring bank";
    1088 => LookupAttemptsExceeded, "Lookup code attempts limit exceeded";
    1089 => AcquirerTimeout, "Acquiring bank request timeout";
    1090 => P2pCountryNotAllowed, "P2P card credit not allowed for this country";
    1091 => CardNotEnrolled, "Card not enrolled. Lookup required";
    1092 => InvalidPhoneNumber, "Invalid phone number";
    1096 => InvalidEmail, "Invalid E-mail";
    1097 => ReferToIssuer, "Decline, refer to card issuer";
    1098 => SepaCanceledBeforeCollection, "SEPA: the customer's payment is accepted, but then canceled before collection";
    1099 => P2pIpNotAllowed, "P2P credit is not available for this IP address";
    1100 => OperationNotAllowed, "Operation not allowed";
    1102 => PrepaidCardsBlocked, "Antifraud decline. Prepaid cards are blocked";
    1103 => ReceiptCreated, "Receipt created";
    1104 => CountryNotAllowed, "Country not allowed by bank-acquirer";
    1105 => OnlyFullThreeDsAllowed, "Antifraud decline. Only full 3D-Secure allowed";
    1106 => SplitNotAllowed, "Split error. Split payments not allowed for merchant";
    1107 => SplitOtherCompany, "Split error. Settlement merchants have another company";
    1108 => SplitMerchantMismatch, "Split error. Merchants in purchase and reverse do not match";
    1109 => CapturedWithDifferentAmount, "Order already captured with different amount";
    1111 => CardNotSupported, "Your card is not supported";
    1114 => SettlementBeforeCapture, "Settlement not allowed until order is captured";
    1115 => PickUpCard, "Pick up card (no fraud)";
    1116 => PickUpCardFraud, "Pick up card, special condition (fraud account)";
    1117 => SecurityViolation, "Security violation";
    1120 => SplitAmountMismatch, "Splitting amount does not correspond to purchase or capture amount";
    1122 => ConnectionClosed, "Connection closed unexpectedly";
    1123 => AcquirerTimeoutReversed, "Acquiring bank request timeout. Transaction reversed";
    1125 => MaestroNotAllowed, "Maestro cards are not allowed";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.description() {
            Some(text) => write!(f, "{} ({text})", self.code()),
            None => write!(f, "{}", self.code()),
        }
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_kept() {
        for code in [1000, 1013, 1014, 1018, 1034, 1125] {
            let known = ErrorCode::from(code);
            assert!(!matches!(known, ErrorCode::Unknown(_)), "{code}");
            assert_eq!(known.code(), code);
        }
        assert_eq!(ErrorCode::from(1001), ErrorCode::Unknown(1001));
        assert_eq!(ErrorCode::from(1001).code(), 1001);
        assert_eq!(
            ErrorCode::DuplicateOrder.to_string(),
            "1013 (Duplicate order for this merchant)"
        );
    }
}
